package jobs

import (
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river/rivertype"
)

// retryPolicy is River's default schedule, attempt⁴ units with ±10 %
// jitter (1 s, 16 s, 81 s, 4 min, … about 11 hours over a send's 12
// attempts), with the unit configurable: an operator can stretch it, and
// the tests run the very same schedule in milliseconds.
type retryPolicy struct{ unit time.Duration }

// NextRetry implements river.ClientRetryPolicy. Errors, not attempts,
// count: a snoozed job (a send waiting for its customer's budget or for a
// receipt) has not failed.
func (p retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	n := float64(len(job.Errors) + 1)
	wait := float64(p.unit) * n * n * n * n
	wait += wait * (rand.Float64()*0.2 - 0.1)
	// A day is past any schedule we configure; the cap keeps a raised
	// limit from overflowing into an immediate retry.
	return time.Now().UTC().Add(time.Duration(min(wait, float64(24*time.Hour))))
}
