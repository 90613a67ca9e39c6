"""sha256 of the shipped model file, written by recipes/train_ktu_default.py."""

SHIPPED_SHA256 = "0cedc53ce4ded79c49c2469328093ac45632f4962920586eb91197fcb1c7461e"
