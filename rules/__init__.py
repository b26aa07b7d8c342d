"""The rules language: the pydantic model, the YAML loader with positions, and the shipped policies."""
