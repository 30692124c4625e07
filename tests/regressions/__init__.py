"""The regression corpus: every input that ever made socpress fail, kept and run forever."""
