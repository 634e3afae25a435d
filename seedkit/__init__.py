"""seedkit."""
