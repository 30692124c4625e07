"""Bytes to blocks: where the input comes from, how its encoding is decided, the damage it
carries, the guards against costly inputs, and the HTML walk that makes blocks."""
