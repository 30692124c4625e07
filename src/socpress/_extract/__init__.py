"""Blocks to decided fields: the layout that matches, each block labelled (a field, or chrome
with the rule that removed it), and every field decided from its ordered sources."""
