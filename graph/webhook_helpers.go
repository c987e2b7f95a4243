package graph

import (
	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/graph/model"
)

func webhookDeliveryConnection(p domain.Page[*domain.WebhookDelivery]) *model.WebhookDeliveryConnection {
	cs, info := cursors(p)
	edges := make([]*model.WebhookDeliveryEdge, len(p.Items))
	for i, n := range p.Items {
		edges[i] = &model.WebhookDeliveryEdge{Cursor: cs[i], Node: n}
	}
	return &model.WebhookDeliveryConnection{Edges: edges, Nodes: p.Items, PageInfo: info}
}

// enqueued adapts a count to result's pointer form.
func enqueued(n int, err error) (*int, error) {
	if err != nil {
		return nil, err
	}
	return &n, nil
}
