package domain

import "github.com/centralita/centralita/domain/access"

// Every decision of who may see or do what goes through the one table in
// domain/access; the helpers here place the principal and the thing it
// acts on in that table and turn its answer into the error vocabulary:
// hidden is not_found (callers cannot probe for what they may not see),
// read-only is forbidden.

// accessRole is the role the table knows the principal by: system callers
// (ingest, timers, seeding) act as owners.
func (p Principal) accessRole() access.Role {
	if p.System {
		return access.Owner
	}
	return access.Role(p.Role)
}

// relationTo places a conversation for the principal.
func (p Principal) relationTo(c *Conversation) access.Relation {
	return access.Relate(p.UserID, p.QueueIDs, c.AssigneeID, c.QueueID)
}

// mayOn decides action a on conversation c.
func (p Principal) mayOn(a access.Action, c *Conversation) error {
	return p.decide(a, p.relationTo(c), "conversation")
}

// may decides an action on the workspace (configuration, contacts).
func (p Principal) may(a access.Action) error {
	return p.decide(a, access.Workspace, "workspace")
}

// decide turns the table's answer for a in relation r into nil, forbidden
// or not_found (naming thing).
func (p Principal) decide(a access.Action, r access.Relation, thing string) error {
	switch access.Decide(p.accessRole(), a, r) {
	case access.Allowed:
		return nil
	case access.Forbidden:
		return Errorf(CodeForbidden, "%s", refusal(a, r))
	}
	return NotFound(thing)
}

// refusal says why a visible thing is read-only to the caller.
func refusal(a access.Action, r access.Relation) string {
	switch a {
	case access.Configure:
		return "only admins can do this"
	case access.ManageOwners:
		return "only owners can create or change owners"
	case access.Assign:
		return "only supervisors of the queue and admins can assign"
	case access.Transfer:
		return "only the conversation's agent, supervisors of its queue and admins can transfer it"
	case access.CompleteTask:
		return "this task is a colleague's (or on a colleague's conversation): only they, supervisors of the queue and admins can complete it"
	}
	if r == access.Colleague {
		return "conversation is assigned to another agent: it is read-only to you (internal notes aside)"
	}
	return "your role may not do this"
}

// taskRelation places a task for the principal: a task assigned to them is
// theirs, one assigned to someone else a colleague's, an unassigned one
// stands where its conversation does (c nil: a task on a contact only).
func (p Principal) taskRelation(t *Task, c *Conversation) access.Relation {
	conv := access.Workspace
	if c != nil {
		conv = p.relationTo(c)
	}
	return access.RelateTask(p.UserID, t.AssigneeID, conv)
}
