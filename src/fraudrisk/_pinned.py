"""sha256 of the shipped model file, written by recipes/train_ktu_default.py."""

SHIPPED_SHA256 = "1cd786a76c5d3818a3524df55ba3f48e806cb5b80344e3ec39990eb908a85440"
