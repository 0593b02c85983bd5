"""Chinese full-text search over documents (DOC-06, DOC-07): segmented vectors, extracted text, OCR."""
