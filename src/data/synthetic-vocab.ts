/**
 * Word lists for the synthetic catalogue: one vocabulary per genre (so text models can recover genres from titles
 * and descriptions), common filler words shared by all, and country names for user attributes. Genres beyond the
 * named ones get procedurally built names and words (see {@link genreVocabulary}).
 */

export const GENRE_NAMES: readonly string[] = [
  'Action', 'Comedy', 'Drama', 'Horror', 'Romance', 'SciFi', 'Documentary', 'Animation', 'Thriller', 'Fantasy', 'Western', 'Musical',
];

const VOCAB: readonly (readonly string[])[] = [
  ['explosion', 'chase', 'mission', 'agent', 'battle', 'rescue', 'heist', 'squad', 'pursuit', 'commando', 'weapon', 'stunt', 'showdown', 'mercenary', 'convoy', 'ambush'],
  ['laugh', 'prank', 'wedding', 'roommate', 'blunder', 'sitcom', 'quirky', 'awkward', 'parody', 'slapstick', 'joke', 'mishap', 'goofy', 'hilarious', 'banter', 'caper'],
  ['family', 'grief', 'struggle', 'memory', 'redemption', 'courtroom', 'illness', 'betrayal', 'generations', 'letter', 'farewell', 'sacrifice', 'inheritance', 'confession', 'silence', 'hospital'],
  ['haunted', 'ghost', 'blood', 'curse', 'demon', 'cellar', 'scream', 'zombie', 'ritual', 'possessed', 'graveyard', 'nightmare', 'creature', 'asylum', 'shadow', 'fog'],
  ['love', 'kiss', 'paris', 'heart', 'romance', 'valentine', 'soulmate', 'proposal', 'affair', 'sunset', 'longing', 'flirt', 'bouquet', 'honeymoon', 'crush', 'serenade'],
  ['galaxy', 'robot', 'starship', 'alien', 'android', 'quantum', 'planet', 'orbit', 'cyborg', 'laser', 'colony', 'wormhole', 'asteroid', 'nebula', 'clone', 'reactor'],
  ['history', 'nature', 'wildlife', 'expedition', 'interview', 'archive', 'investigation', 'climate', 'ocean', 'biography', 'footage', 'science', 'society', 'evidence', 'journey', 'culture'],
  ['cartoon', 'puppy', 'talking', 'bunny', 'magic', 'kingdom', 'toy', 'dragonfly', 'colorful', 'adventure', 'sidekick', 'penguin', 'candy', 'forest', 'giggle', 'whiskers'],
  ['conspiracy', 'detective', 'suspect', 'murder', 'hostage', 'spy', 'alibi', 'twist', 'witness', 'kidnap', 'stalker', 'cipher', 'informant', 'motive', 'paranoia', 'clue'],
  ['wizard', 'sword', 'dragon', 'elf', 'quest', 'sorcery', 'prophecy', 'castle', 'enchanted', 'goblin', 'realm', 'amulet', 'throne', 'spell', 'unicorn', 'knight'],
  ['cowboy', 'saloon', 'frontier', 'sheriff', 'outlaw', 'ranch', 'desert', 'gunslinger', 'stagecoach', 'bounty', 'canyon', 'cattle', 'prairie', 'revolver', 'posse', 'duel'],
  ['song', 'dance', 'stage', 'chorus', 'melody', 'broadway', 'rehearsal', 'orchestra', 'ballad', 'tap', 'singer', 'audition', 'encore', 'rhythm', 'spotlight', 'duet'],
];

/** Words every genre uses (the noise in descriptions). */
export const COMMON_WORDS: readonly string[] = [
  'the', 'a', 'story', 'of', 'and', 'new', 'old', 'city', 'night', 'day', 'man', 'woman', 'life', 'world', 'time', 'last',
  'first', 'great', 'secret', 'lost', 'young', 'town', 'road', 'home', 'year', 'friend', 'dark', 'light', 'return', 'end',
];

export const COUNTRIES: readonly string[] = ['US', 'GB', 'DE', 'FR', 'IN', 'BR', 'JP', 'CA', 'ES', 'AU'];

const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'tor', 'vas', 'qui', 'zel', 'bor', 'nia', 'sut', 'dre', 'fal', 'gim', 'hox', 'pel'];

/** Name of genre `g` (named list first, then "Genre13", ...). */
export function genreName(g: number): string {
  return g < GENRE_NAMES.length ? GENRE_NAMES[g]! : `Genre${g + 1}`;
}

/** The vocabulary of genre `g`: a hand-written list, or 16 made-up words unique to that genre beyond the list. */
export function genreVocabulary(g: number): readonly string[] {
  if (g < VOCAB.length) return VOCAB[g]!;
  const words: string[] = [];
  for (let w = 0; w < 16; w++) {
    words.push(SYLLABLES[(g * 7 + w) % 16]! + SYLLABLES[(g * 3 + w * 5) % 16]! + String(g));
  }
  return words;
}
