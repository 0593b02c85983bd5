"""文件: the library of documents (list, search, a document with its preview and versions, uploads)."""
