"""Model cards (front matter, prominent text), NOTICE files and changelogs."""
