"""sha256 of the shipped model file, written by recipes/train_ktu_default.py."""

SHIPPED_SHA256 = "ae78dc5281cb092204dfd59e9dd7e3a780f68e908c009e53ce3bb221ab95ae49"
