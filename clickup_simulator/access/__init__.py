"""Who may see what: the tokens a simulator accepts, what each role may read, and objects hidden from
every token."""
