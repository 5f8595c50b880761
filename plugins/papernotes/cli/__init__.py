"""The `papernotes` command."""
