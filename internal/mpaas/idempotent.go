package mpaas

// createAttempts bounds how often a create is sent again after an ambiguous
// failure that left no object behind; lookupAttempts bounds the lookups that
// decide it.
const (
	createAttempts = 3
	lookupAttempts = 3
)

// createIdempotently sends a create; after an ambiguous failure (the request
// may or may not have been processed) it asks exists whether the object is
// there and sends the create again only when the answer is a clear no. The
// API has no client tokens, so this lookup is what keeps a retried create
// from making a duplicate. When no lookup answers, the ambiguous error is
// returned rather than risking a second object.
func createIdempotently(create func() error, exists func() (bool, error)) error {
	var err error
	for attempt := 0; attempt < createAttempts; attempt++ {
		if err = create(); err == nil || !IsAmbiguous(err) {
			return err
		}
		found, lookupErr := lookUp(exists)
		if lookupErr != nil {
			return err
		}
		if found {
			return nil
		}
	}
	return err
}

// lookUp retries a lookup (a read, so safe to repeat) a few times.
func lookUp(exists func() (bool, error)) (found bool, err error) {
	for attempt := 0; attempt < lookupAttempts; attempt++ {
		if found, err = exists(); err == nil {
			return found, nil
		}
	}
	return false, err
}
