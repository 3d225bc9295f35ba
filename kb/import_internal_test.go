package kb

// SetBulkIndexMinChunks changes how many chunks an import writes before it rebuilds the vector
// index in bulk, and returns a function restoring it.
func SetBulkIndexMinChunks(n int) (restore func()) {
	old := bulkIndexMinChunks
	bulkIndexMinChunks = n
	return func() { bulkIndexMinChunks = old }
}
