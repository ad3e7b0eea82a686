"""Leaf helpers every room may import (they import nothing of newspipe): Korean text, KST time, HTTP retries."""
