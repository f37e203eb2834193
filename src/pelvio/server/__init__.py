"""Running Pelvio: the web server and the database schema."""
