"""`redline ingest ...`: records into the store."""
