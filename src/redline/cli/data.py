"""`redline data ...`: the public sources Redline reads."""
