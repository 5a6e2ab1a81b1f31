// msgpackr requires this module inside try/catch and uses its pure-JS decoder when it throws.
throw new Error("msgpackr-extract is not installed: msgpackr uses its JavaScript decoder");
