"""Text out of a document's file: PDF, Word, Excel, plain text, and images by OCR (DOC-07)."""
