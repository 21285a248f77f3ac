// A factory with the built-in engines registered (in progress).
