package jobs

import (
	"errors"
	"strconv"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// metrics counts what jobs did, where they did it. Labels are closed sets:
// job kinds, outcomes and the Meta error codes whatsapp names; never a
// workspace, a number or an id.
type metrics struct {
	sends *prometheus.CounterVec // outcome, error_code
	media *prometheus.CounterVec // outcome, error_code
	runs  *prometheus.CounterVec // kind, outcome
}

// Outcomes of a send or a media download attempt.
const (
	outcomeSent     = "sent"     // Meta accepted the message
	outcomeStored   = "stored"   // the file is in the blob store
	outcomeRetrying = "retrying" // a retryable error: River tries again later
	outcomeFailed   = "failed"   // ended as failed (permanent error, or out of attempts)
)

// jobKinds are the kinds of job this package runs.
var jobKinds = []string{string(domain.JobSend), string(domain.JobMediaDownload), string(domain.JobMarkRead),
	HousekeepingArgs{}.Kind()}

// Outcomes of a job run, from River's events.
var runOutcomes = []string{"completed", "retried", "discarded", "cancelled", "snoozed"}

// newMetrics builds the counters and registers them, with the job table
// collector, on reg (nil: counted but not exported).
func newMetrics(reg prometheus.Registerer, queue prometheus.Collector) (*metrics, error) {
	m := &metrics{
		sends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "centralita_whatsapp_sends_total",
			Help: "Outbound send attempts by outcome (sent, retrying, failed) and Meta error code.",
		}, []string{"outcome", "error_code"}),
		media: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "centralita_whatsapp_media_downloads_total",
			Help: "Inbound media download attempts by outcome (stored, retrying, failed) and Meta error code.",
		}, []string{"outcome", "error_code"}),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "centralita_job_runs_total",
			Help: "Background job runs finished by this process, by kind and outcome.",
		}, []string{"kind", "outcome"}),
	}
	m.sends.WithLabelValues(outcomeSent, noErrorCode)
	m.media.WithLabelValues(outcomeStored, noErrorCode)
	for _, k := range jobKinds {
		for _, o := range runOutcomes {
			m.runs.WithLabelValues(k, o)
		}
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.sends, m.media, m.runs, queue} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// noErrorCode labels outcomes that carry no Meta error: a success, a
// network failure, or a refusal of our own.
const noErrorCode = "none"

// errorCode is the label for err: Meta's code when whatsapp names it,
// "other" for any other Meta code, "none" when Meta did not answer one.
func errorCode(err error) string {
	var ge *whatsapp.GraphError
	if !errors.As(err, &ge) || (ge.Code == 0 && ge.Type == "") {
		return noErrorCode // no Meta error body (a proxy, an outage page)
	}
	if whatsapp.KnownCode(ge.Code) {
		return strconv.Itoa(ge.Code)
	}
	return "other"
}

// send counts a send attempt; a nil receiver counts nothing (workers
// built directly in tests).
func (m *metrics) send(outcome string, err error) {
	if m != nil {
		m.sends.WithLabelValues(outcome, errorCode(err)).Inc()
	}
}

// download counts a media download attempt.
func (m *metrics) download(outcome string, err error) {
	if m != nil {
		m.media.WithLabelValues(outcome, errorCode(err)).Inc()
	}
}

// runEvent counts a finished job run from one of River's events.
func (m *metrics) runEvent(e *river.Event) {
	if m == nil || e == nil || e.Job == nil {
		return
	}
	var outcome string
	switch e.Kind {
	case river.EventKindJobCompleted:
		outcome = "completed"
	case river.EventKindJobCancelled:
		outcome = "cancelled"
	case river.EventKindJobSnoozed:
		outcome = "snoozed"
	case river.EventKindJobFailed:
		outcome = "retried"
		if e.Job.State == rivertype.JobStateDiscarded {
			outcome = "discarded"
		}
	default:
		return
	}
	m.runs.WithLabelValues(e.Job.Kind, outcome).Inc()
}

// runEvents are the River events runEvent counts.
var runEvents = []river.EventKind{river.EventKindJobCompleted, river.EventKindJobFailed,
	river.EventKindJobCancelled, river.EventKindJobSnoozed}
