"""What socpress knows about the coalition's sites, as data: the editions, the chrome and
line rules, the layouts, date formats, URLs and HTML selectors. Nothing here reads a page."""
