"""What is distributed: git's index, a pushed commit or a folder on disk,
seen through one `Tree` interface, and the bounded reads of their files."""
