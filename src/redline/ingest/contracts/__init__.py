"""Contract-register exports (ComprasMX, CompraNet, researchers' tables) as OCDS releases."""
