package graph

import (
	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/graph/model"
)

// externalRefs passes a list of refs on; absent (nil) adds none.
func externalRefs(in []*model.ExternalRefInput) *[]domain.ExternalRef {
	if in == nil {
		return nil
	}
	out := make([]domain.ExternalRef, 0, len(in))
	for _, r := range in {
		out = append(out, domain.ExternalRef{System: r.System, ID: r.ID})
	}
	return &out
}

func externalRef(in *model.ExternalRefInput) *domain.ExternalRef {
	if in == nil {
		return nil
	}
	return &domain.ExternalRef{System: in.System, ID: in.ID}
}

// contactFilter turns the GraphQL filter into the domain's.
func contactFilter(f model.ContactFilter) domain.ContactFilter {
	out := domain.ContactFilter{Text: deref(f.Text), TagID: deref(f.TagID),
		MovedFromChannelID: deref(f.MovedFromChannelID), Name: deref(f.Name), Email: deref(f.Email),
		Phone: deref(f.Phone), ExternalRef: externalRef(f.ExternalRef)}
	for _, a := range f.Attributes {
		if out.Attributes == nil {
			out.Attributes = map[string]string{}
		}
		out.Attributes[a.Key] = a.Value
	}
	return out
}

func contactMatch(in *model.ContactMatchInput) domain.ContactMatch {
	if in == nil {
		return domain.ContactMatch{}
	}
	return domain.ContactMatch{WaID: deref(in.WaID), Phone: deref(in.Phone), Email: deref(in.Email),
		ExternalRef: externalRef(in.ExternalRef)}
}
