"""Autograd tests: helpers live in agutil.py next to this file."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
