"""Financial statements per fund and consolidated."""
