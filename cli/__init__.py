"""followup's command line: click commands that parse options, call the engine and format output."""
