export * from './stopwords.js';
export * from './tokenizer.js';
export * from './csr.js';
export * from './tfidf.js';
export * from './similarity/index.js';
export * from './profiles.js';
export * from './catalog-file.js';
