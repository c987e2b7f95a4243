package graph

import (
	"time"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/graph/model"
)

// businessHoursInput carries a plan's fields; nil lists are left as they are.
func businessHoursInput(name, timezone *string, weekly []*model.BusinessHoursShiftInput, holidays []*model.BusinessHolidayInput) domain.BusinessHoursInput {
	in := domain.BusinessHoursInput{Name: name, Timezone: timezone}
	if weekly != nil {
		shifts := make([]domain.Shift, len(weekly))
		for i, s := range weekly {
			shifts[i] = domain.Shift{Day: s.Day, Open: s.Open, Close: s.Close}
		}
		in.Weekly = &shifts
	}
	if holidays != nil {
		days := make([]domain.Holiday, len(holidays))
		for i, h := range holidays {
			days[i] = domain.Holiday{Date: h.Date}
			if h.Name != nil {
				days[i].Name = *h.Name
			}
		}
		in.Holidays = &days
	}
	return in
}

// slaPolicyInput carries a policy's fields.
func slaPolicyInput(name *string, first, next, resolution *int, ratio *float64, esc *model.EscalationInput) domain.SLAPolicyInput {
	in := domain.SLAPolicyInput{Name: name, FirstResponseSeconds: int64Ptr(first),
		NextResponseSeconds: int64Ptr(next), ResolutionSeconds: int64Ptr(resolution), WarningRatio: ratio}
	if esc != nil {
		in.Escalation = &domain.Escalation{Action: esc.Action, NotifyUserIDs: esc.NotifyUserIds}
		if esc.QueueID != nil {
			in.Escalation.QueueID = *esc.QueueID
		}
		if esc.TagID != nil {
			in.Escalation.TagID = *esc.TagID
		}
	}
	return in
}

func int64Ptr(v *int) *int64 {
	if v == nil {
		return nil
	}
	n := int64(*v)
	return &n
}

// targetSeconds is a target in whole seconds; null when it is not measured.
func targetSeconds(d time.Duration) *int {
	if d <= 0 {
		return nil
	}
	n := int(d / time.Second)
	return &n
}
