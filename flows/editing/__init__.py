"""The desk: turn a submitted story into a ready one (clean HTML, plain text, tags, fingerprint).

Pure functions; the normalise flow feeds them and stores what they return.
"""
