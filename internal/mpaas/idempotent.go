package mpaas

import (
	"context"
	"errors"
	"time"
)

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

// errListedOtherwise is what a lookup of awaitListed returns when the list
// shows another object where the one awaited would be: no wait brings it.
var errListedOtherwise = errors.New("the list holds another object in its place")

// awaitListed repeats find, a lookup of an object the service said it
// created but a list may not show yet (listingLag* in inferred.go), with a
// doubling wait until it is found or listingLagBound of waiting has passed.
// A lookup that fails lookupAttempts times in a row ends it with that error;
// found false with a nil error means every lookup answered without it, or
// one returned errListedOtherwise.
func (c *Client) awaitListed(ctx context.Context, find func() (bool, error)) (bool, error) {
	wait, waited, failures := listingLagFirstWait, time.Duration(0), 0
	for {
		found, err := find()
		switch {
		case errors.Is(err, errListedOtherwise):
			return false, nil
		case err == nil && found:
			return true, nil
		case err != nil:
			failures++
		default:
			failures = 0
		}
		if failures >= lookupAttempts || waited >= listingLagBound {
			return false, err
		}
		if sleepErr := c.cfg.Sleep(ctx, wait); sleepErr != nil {
			return false, ctxError("waiting for a created object to be listed", sleepErr)
		}
		waited += wait
		wait = min(2*wait, listingLagMaxWait)
	}
}
