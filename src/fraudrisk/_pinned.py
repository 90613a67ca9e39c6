"""sha256 of the shipped model file, written by recipes/train_ktu_default.py."""

SHIPPED_SHA256 = "637cda13f9bba7fe2e455336c3263e20b0924d5fac34075da20a697365eb027d"
