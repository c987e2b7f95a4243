package domain

import (
	"context"
	"slices"
)

// Event types. Each is listed with its subject and payload in the README
// ("Event types"); a type is added here, to EventTypes and to that list.
const (
	// Conversations (subject: the conversation).
	EventConversationCreated         = "conversation.created"
	EventConversationAssigned        = "conversation.assigned"
	EventConversationTransferred     = "conversation.transferred"
	EventConversationStatusChanged   = "conversation.status_changed"
	EventConversationPriorityChanged = "conversation.priority_changed"
	EventConversationTagged          = "conversation.tagged"
	EventConversationUntagged        = "conversation.untagged"
	EventConversationRouted          = "conversation.routed"
	// SLA (subject: the conversation). Meeting a target records no event
	// of its own: the reply or the closing that met it already is one.
	EventSLAWarning  = "sla.warning"
	EventSLABreached = "sla.breached"
	// Messages (subject: the message; note.created: the conversation).
	EventMessageCreated       = "message.created"
	EventMessageStatusChanged = "message.status_changed"
	EventMessageMediaReady    = "message.media_ready"
	EventMessageMediaFailed   = "message.media_failed"
	EventNoteCreated          = "note.created"
	// Tasks and contacts (subject: the task or contact).
	EventTaskCreated          = "task.created"
	EventTaskCompleted        = "task.completed"
	EventContactCreated       = "contact.created"
	EventContactUpdated       = "contact.updated"
	EventContactNumberChanged = "contact.number_changed"
	EventContactUserIDChanged = "contact.user_id_changed"
	EventContactDeleted       = "contact.deleted"
	// contact.merged's subject is the survivor.
	EventContactMerged = "contact.merged"
	// Bulk transfers (subject: the workspace).
	EventContactsImported = "contacts.imported"
	EventContactsExported = "contacts.exported"

	// Security (subject: the user or key concerned).
	EventLoginSucceeded   = "auth.login_succeeded"
	EventLoginFailed      = "auth.login_failed"
	EventAPIKeyCreated    = "api_key.created"
	EventAPIKeyRevoked    = "api_key.revoked"
	EventUserCreated      = "user.created"
	EventUserRoleChanged  = "user.role_changed"
	EventUserDeactivated  = "user.deactivated"
	EventUserReactivated  = "user.reactivated"
	EventAuditLogExported = "audit_log.exported"

	// Configuration (subject: the thing configured; the workspace for
	// workspace.updated, the number for the welcome bot).
	EventWorkspaceUpdated     = "workspace.updated"
	EventChannelCreated       = "channel.created"
	EventChannelUpdated       = "channel.updated"
	EventChannelDeleted       = "channel.deleted"
	EventWelcomeBotUpdated    = "welcome_bot.updated"
	EventWelcomeBotDeleted    = "welcome_bot.deleted"
	EventRoutingRuleCreated   = "routing_rule.created"
	EventRoutingRuleUpdated   = "routing_rule.updated"
	EventRoutingRuleDeleted   = "routing_rule.deleted"
	EventSLAPolicyCreated     = "sla_policy.created"
	EventSLAPolicyUpdated     = "sla_policy.updated"
	EventSLAPolicyDeleted     = "sla_policy.deleted"
	EventBusinessHoursCreated = "business_hours.created"
	EventBusinessHoursUpdated = "business_hours.updated"
	EventBusinessHoursDeleted = "business_hours.deleted"
	EventCloseReasonCreated   = "close_reason.created"
	EventCloseReasonUpdated   = "close_reason.updated"
	EventCloseReasonDeleted   = "close_reason.deleted"
	EventQueueCreated         = "queue.created"
	EventQueueUpdated         = "queue.updated"
	EventQueueDeleted         = "queue.deleted"
	EventQueueMemberAdded     = "queue.member_added"
	EventQueueMemberRemoved   = "queue.member_removed"
	EventTagCreated           = "tag.created"
	EventTagUpdated           = "tag.updated"
	EventTagDeleted           = "tag.deleted"
	// Outbound webhooks (subject: the endpoint). webhook.test is sent by
	// POST .../test to its endpoint alone, never to subscribers.
	EventWebhookEndpointCreated  = "webhook_endpoint.created"
	EventWebhookEndpointUpdated  = "webhook_endpoint.updated"
	EventWebhookEndpointDeleted  = "webhook_endpoint.deleted"
	EventWebhookEndpointRotated  = "webhook_endpoint.secret_rotated"
	EventWebhookEndpointDisabled = "webhook_endpoint.disabled"
	EventWebhookTest             = "webhook.test"
)

// EventTypes lists every type the feed and the audit log know, so a
// filter naming another is refused instead of silently matching nothing.
var EventTypes = []string{
	EventConversationCreated, EventConversationAssigned, EventConversationTransferred,
	EventConversationStatusChanged, EventConversationPriorityChanged, EventConversationTagged,
	EventConversationUntagged, EventConversationRouted, EventSLAWarning, EventSLABreached,
	EventMessageCreated, EventMessageStatusChanged, EventMessageMediaReady, EventMessageMediaFailed,
	EventNoteCreated, EventTaskCreated, EventTaskCompleted, EventContactCreated, EventContactUpdated,
	EventContactNumberChanged, EventContactUserIDChanged, EventContactDeleted, EventContactMerged,
	EventContactsImported, EventContactsExported,
	EventLoginSucceeded, EventLoginFailed, EventAPIKeyCreated, EventAPIKeyRevoked, EventUserCreated,
	EventUserRoleChanged, EventUserDeactivated, EventUserReactivated, EventAuditLogExported,
	EventWorkspaceUpdated, EventChannelCreated, EventChannelUpdated, EventChannelDeleted,
	EventWelcomeBotUpdated, EventWelcomeBotDeleted, EventRoutingRuleCreated, EventRoutingRuleUpdated,
	EventRoutingRuleDeleted, EventSLAPolicyCreated, EventSLAPolicyUpdated, EventSLAPolicyDeleted,
	EventBusinessHoursCreated, EventBusinessHoursUpdated, EventBusinessHoursDeleted,
	EventCloseReasonCreated, EventCloseReasonUpdated, EventCloseReasonDeleted,
	EventQueueCreated, EventQueueUpdated, EventQueueDeleted, EventQueueMemberAdded,
	EventQueueMemberRemoved, EventTagCreated, EventTagUpdated, EventTagDeleted,
	EventWebhookEndpointCreated, EventWebhookEndpointUpdated, EventWebhookEndpointDeleted,
	EventWebhookEndpointRotated, EventWebhookEndpointDisabled, EventWebhookTest,
}

// KnownEventType reports whether t is one of EventTypes.
func KnownEventType(t string) bool { return slices.Contains(EventTypes, t) }

// ActorKinds lists the kinds an audit-log filter may name.
var ActorKinds = []ActorKind{ActorUser, ActorAPIKey, ActorBot, ActorRule, ActorSystem, ActorPartner}

// recorded runs write and records its event in one transaction, so the
// change and its event commit together or not at all.
func (s *Service) recorded(ctx context.Context, write func(ctx context.Context) error, typ, subjectID string, payload map[string]any) error {
	return s.store.InTx(ctx, func(ctx context.Context) error {
		if err := write(ctx); err != nil {
			return err
		}
		return s.record(ctx, typ, subjectID, payload)
	})
}
