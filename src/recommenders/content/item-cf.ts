import type { CsrMatrix } from '../../text/csr.js';
import { csrTranspose } from '../../text/csr.js';
import { cosineTopKParallel } from '../../text/similarity/parallel.js';
import type { CatalogState } from './catalog-model.js';

/**
 * Item-item collaborative filtering used inside the hybrids: cosine between the items' user columns (the training
 * interactions on the model's item index), the `neighbours` most similar items kept per item, and
 * score(u, j) = Σ_{h ∈ history(u)} r_uh · sim(h, j) (Sarwar et al. 2001; as implicit's ItemItemRecommender).
 * Items without interactions have no neighbours and score 0. Similarities by the blocked sparse product on the
 * worker pool; memory O(items · neighbours).
 */
export interface ItemCF {
  k: number;
  /** items x k neighbour indices (-1 padded) and cosines. */
  indices: Int32Array;
  scores: Float32Array;
}

/** Fits the neighbour lists from the catalog state's history. */
export async function fitItemCF(s: CatalogState, neighbours: number, threads?: number): Promise<ItemCF> {
  const nI = s.items.size;
  const ui: CsrMatrix = { rows: s.users.size, cols: nI, indptr: s.hist.indptr, indices: s.hist.indices, values: s.hist.values };
  const iu = csrTranspose(ui);
  const nb = await cosineTopKParallel(iu, neighbours, threads === undefined ? {} : { threads });
  return { k: neighbours, indices: nb.indices, scores: nb.scores };
}

/** CF scores of user u over every item (a fresh array). */
export function scoreItemCF(cf: ItemCF, s: CatalogState, u: number): Float64Array {
  const out = new Float64Array(s.items.size);
  const k = cf.k;
  for (let p = s.hist.indptr[u]!; p < s.hist.indptr[u + 1]!; p++) {
    const h = s.hist.indices[p]!;
    const r = s.hist.values[p]!;
    const base = h * k;
    for (let m = 0; m < k; m++) {
      const j = cf.indices[base + m]!;
      if (j < 0) break;
      out[j] = out[j]! + r * cf.scores[base + m]!;
    }
  }
  return out;
}
