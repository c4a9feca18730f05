import { EmptyInputError, InvalidArgumentError } from '../../core/errors.js';
import type { Interactions } from '../../data/interactions.js';

/**
 * Checks implicit-feedback training data: at least one interaction, and every value (a confidence, a count, a
 * rating used as a weight) finite and >= 0. A negative or NaN confidence is an error naming the user, the item and
 * the value, since it would silently turn a preference into an aversion (or poison every factor with NaN).
 */
export function checkImplicitInput(data: Interactions, owner: string): void {
  if (data.nnz === 0 || data.nItems === 0) {
    throw new EmptyInputError(`${owner}.fit: the training interactions are empty (${data.nUsers} users, ${data.nItems} items, 0 interactions)`);
  }
  const v = data.values;
  for (let k = 0; k < v.length; k++) {
    const x = v[k]!;
    if (!(x >= 0) || x === Infinity) {
      let u = 0;
      while (data.indptr[u + 1]! <= k) u++;
      throw new InvalidArgumentError(
        `${owner}.fit: confidence for (user "${data.users.idAt(u)}", item "${data.items.idAt(data.indices[k]!)}") is ${x}; implicit models need finite values >= 0`,
        { user: data.users.idAt(u), item: data.items.idAt(data.indices[k]!), value: x },
      );
    }
  }
}

/** k must be a non-negative integer (k larger than the catalog is allowed and returns the whole ranking). */
export function checkK(k: number, where: string): void {
  if (!Number.isInteger(k) || k < 0) throw new InvalidArgumentError(`${where}: k must be a non-negative integer, got ${k}`, { k });
}
