import { Interactions } from '../../data/interactions.js';
import type { ItemCatalog } from '../../text/profiles.js';

/** A tiny hand-made catalog and ratings for the content-model tests. Item m9 has no interactions (cold). */
export const CATALOG: ItemCatalog = {
  ids: ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9'],
  titles: ['The Matrix', 'Blade Runner', 'Notting Hill', 'Love Actually', 'Alien', 'Toy Story', 'Finding Nemo', 'Heat', 'Ghost in the Shell'],
  text: {
    plot: [
      'A hacker discovers reality is a simulation run by machines; cyberpunk action.',
      'A blade runner hunts replicants in a dystopian cyberpunk city.',
      'A bookshop owner falls in love with a famous actress.',
      'Interwoven love stories in London at Christmas.',
      'The crew of a spaceship is hunted by an alien creature.',
      'Toys come to life when their owner is away; animated adventure.',
      'A clownfish searches the ocean for his lost son; animated adventure.',
      'A detective hunts a crew of professional thieves in Los Angeles.',
      'A cyborg agent hunts a hacker in a cyberpunk dystopian future.',
    ],
  },
  categorical: {
    genres: ['Sci-Fi|Action', 'Sci-Fi|Noir', 'Romance|Comedy', 'Romance|Comedy', 'Sci-Fi|Horror', 'Animation|Family', 'Animation|Family', 'Crime|Action', 'Sci-Fi|Animation'],
  },
  numeric: { year: Float64Array.of(1999, 1982, 1999, 2003, 1979, 1995, 2003, 1995, 1995) },
};

/** u1 likes sci-fi, u2 romance, u3 animation; u4 rated an old sci-fi film low and a recent romance high. */
export function ratings(): Interactions {
  const u = ['u1', 'u1', 'u2', 'u2', 'u3', 'u3', 'u4', 'u4', 'u5', 'u5', 'u5'];
  const i = ['m1', 'm2', 'm3', 'm8', 'm6', 'm3', 'm5', 'm4', 'm1', 'm6', 'm8'];
  const v = [5, 4, 5, 1, 5, 2, 1, 5, 5, 4, 3];
  const t = [100, 200, 100, 200, 100, 200, 100, 200 * 86400, 1, 2, 3];
  return Interactions.fromRaw(u, i, v, { timestamps: t });
}
