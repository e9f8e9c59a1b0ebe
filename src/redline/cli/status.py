"""`redline status`: what the store holds."""
