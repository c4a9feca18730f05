"""Writes scikit-learn's TF-IDF matrices for the committed fixture corpus, for several option sets, to
src/text/fixtures/tfidf_reference.json. Reckon's tests assert its TfidfVectorizer reproduces them to 1e-6.

Run: /usr/bin/python3 bench/peers/tfidf_reference.py   (Debian python3-sklearn 1.2.1)
Each case gives the options twice: `sklearn` (as passed to TfidfVectorizer) and `reckon` (the TypeScript names).
"""
import json
import os
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, '..', '..', 'src', 'text', 'fixtures')
docs = json.load(open(os.path.join(FIX, 'corpus.json'), encoding='utf-8'))

CASES = [
    ('defaults', {}, {}),
    ('english', {'stop_words': 'english'}, {'stopWords': 'english'}),
    ('bigrams_english', {'stop_words': 'english', 'ngram_range': (1, 2)}, {'stopWords': 'english', 'ngramRange': [1, 2]}),
    ('ngrams_2_3', {'ngram_range': (2, 3)}, {'ngramRange': [2, 3]}),
    ('min2_max_half', {'min_df': 2, 'max_df': 0.5}, {'minDf': 2, 'maxDf': 0.5}),
    ('minprop_maxcount', {'min_df': 0.05, 'max_df': 5}, {'minDf': 0.05, 'maxDf': 5}),
    # cut-offs chosen where no two terms tie on corpus frequency: numpy's argsort is not stable, so scikit-learn breaks
    # such ties arbitrarily while Reckon keeps the earlier term in vocabulary order
    ('max_features', {'max_features': 12, 'stop_words': 'english'}, {'maxFeatures': 12, 'stopWords': 'english'}),
    ('max_features_bigrams', {'max_features': 19}, {'maxFeatures': 19}),
    ('binary_l1', {'binary': True, 'norm': 'l1'}, {'binary': True, 'norm': 'l1'}),
    ('sublinear_nosmooth', {'sublinear_tf': True, 'smooth_idf': False}, {'sublinearTf': True, 'smoothIdf': False}),
    ('noidf_nonorm', {'use_idf': False, 'norm': None}, {'useIdf': False, 'norm': None}),
    ('idf_nonorm', {'norm': None}, {'norm': None}),
    ('case_sensitive', {'lowercase': False}, {'lowercase': False}),
    ('strip_unicode', {'strip_accents': 'unicode'}, {'stripAccents': 'unicode'}),
    ('strip_ascii', {'strip_accents': 'ascii'}, {'stripAccents': 'ascii'}),
    ('vocabulary', {'vocabulary': ['robot', 'space', 'murder', 'zzz', 'café', 'hacker', 'москве']},
     {'vocabulary': ['robot', 'space', 'murder', 'zzz', 'café', 'hacker', 'москве']}),
    ('custom_stop', {'stop_words': ['robot', 'space', 'the']}, {'stopWords': ['robot', 'space', 'the']}),
]

out = {'sklearn_version': sklearn.__version__, 'n_docs': len(docs), 'cases': []}
for name, sk, rk in CASES:
    v = TfidfVectorizer(**sk)
    X = v.fit_transform(docs).tocsr()
    X.sort_indices()
    out['cases'].append({
        'name': name,
        'sklearn': {k: list(x) if isinstance(x, tuple) else x for k, x in sk.items()},
        'reckon': rk,
        'features': [str(t) for t in v.get_feature_names_out()],
        'idf': [float(x) for x in v.idf_] if v.use_idf else None,
        'indptr': [int(x) for x in X.indptr],
        'indices': [int(x) for x in X.indices],
        'data': [float(x) for x in X.data],
    })
with open(os.path.join(FIX, 'tfidf_reference.json'), 'w', encoding='utf-8') as f:
    json.dump(out, f, ensure_ascii=False)
print('wrote', len(CASES), 'cases')
