"""Loader and repository: every file under content/ read once (bounded, lines kept), classified by
where it sits, validated against its schema, and the settings over the shipped defaults."""
