// Package access is the one table of who may do what in a workspace: for
// each action, which roles may take it on a conversation (or task) that
// stands in a given relation to them. The domain Service asks it for every
// such decision, so REST and GraphQL, which both go through the Service,
// always answer alike. The README's roles table mirrors Table.
package access

import "slices"

// Role mirrors domain.Role (the domain converts; this package imports none
// of ours).
type Role string

const (
	Owner      Role = "owner"
	Admin      Role = "admin"
	Supervisor Role = "supervisor"
	Agent      Role = "agent"
)

// Roles lists every role, most powerful first.
var Roles = []Role{Owner, Admin, Supervisor, Agent}

// Relation is where a conversation (or task) stands for the caller. The
// values are bits so a rule names a set of them.
type Relation uint8

const (
	// Own: assigned to the caller (a task: assigned to the caller).
	Own Relation = 1 << iota
	// Unassigned: nobody holds it and it is in one of the caller's queues
	// (a task: nobody holds it and its conversation is the caller's or
	// unassigned in their queues, or it is on a contact only).
	Unassigned
	// Colleague: another user holds it and it is in one of the caller's
	// queues (a task: assigned to another user).
	Colleague
	// OtherQueue: neither the caller's nor in any of their queues.
	OtherQueue
	// Workspace: the action concerns the workspace, not one conversation
	// (its contacts, its configuration).
	Workspace
)

// Relations lists the relations to conversations, nearest first.
var Relations = []Relation{Own, Unassigned, Colleague, OtherQueue}

func (r Relation) String() string {
	switch r {
	case Own:
		return "own"
	case Unassigned:
		return "unassigned"
	case Colleague:
		return "colleague"
	case OtherQueue:
		return "other_queue"
	case Workspace:
		return "workspace"
	}
	return "none"
}

// Action is something a caller does.
type Action string

const (
	// Read a conversation with its messages, notes, tasks and timeline.
	Read Action = "read"
	// Reply sends a message of any kind and marks the customer's read.
	Reply Action = "reply"
	// Note writes an internal note (never sent to the customer).
	Note Action = "note"
	// Tag adds or removes a conversation's tag.
	Tag Action = "tag"
	// Priority changes a conversation's priority.
	Priority Action = "priority"
	// Status moves a conversation through its lifecycle (close, reopen…).
	Status Action = "status"
	// Claim takes an unassigned conversation (taking one someone holds is
	// a conflict, not a permission question: see Claim in the domain).
	Claim Action = "claim"
	// Assign gives a conversation to anyone, or unassigns it.
	Assign Action = "assign"
	// Transfer moves a conversation to another queue or agent.
	Transfer Action = "transfer"
	// CreateTask adds a follow-up on a conversation (Workspace: on a
	// contact only).
	CreateTask Action = "create_task"
	// CompleteTask marks a task done or reopens it; the relation is the
	// task's own.
	CompleteTask Action = "complete_task"
	// EditContact creates, changes or tags a contact (the shared customer
	// base).
	EditContact Action = "edit_contact"
	// DeleteContact deletes a contact (softly: its conversations stay).
	DeleteContact Action = "delete_contact"
	// MergeContacts folds a duplicate contact into another.
	MergeContacts Action = "merge_contacts"
	// TransferContacts imports and exports the customer base in bulk
	// (CSV): a whole list of customers in or out at once.
	TransferContacts Action = "transfer_contacts"
	// Configure manages the workspace: users, queues, tags, numbers, keys,
	// rules, SLA policies, business hours, close reasons, bots.
	Configure Action = "configure"
	// ManageOwners creates owners and changes another owner.
	ManageOwners Action = "manage_owners"
	// ReadEvents reads the workspace's event feed: every event, whatever
	// conversation it concerns, so only roles that see everything.
	ReadEvents Action = "read_events"
	// ReadAuditLog reads (and exports) the audit log: who did what.
	// Supervisors may read it; they change nothing through it.
	ReadAuditLog Action = "read_audit_log"
)

// Actions lists every action.
var Actions = []Action{Read, Reply, Note, Tag, Priority, Status, Claim, Assign, Transfer,
	CreateTask, CompleteTask, EditContact, DeleteContact, MergeContacts, TransferContacts, Configure, ManageOwners,
	ReadEvents, ReadAuditLog}

const (
	none     Relation = 0
	mine              = Own | Unassigned
	inQueues          = Own | Unassigned | Colleague
	anywhere          = Own | Unassigned | Colleague | OtherQueue
)

// Table says, for each action and role, the relations in which it is
// allowed. A conversation the role may not Read is invisible to it; an
// action it may not take on a visible one is forbidden. System callers
// (ingest, timers, seeding) act as owners.
//
// In words: agents work what they hold and what waits unassigned in their
// queues; a colleague's conversation is read-only to them except for
// internal notes (how colleagues help each other; a note never reaches the
// customer). Supervisors work every conversation of their queues and
// assign there. Admins and owners work everything and configure the
// workspace; only owners manage owners.
var Table = map[Action]map[Role]Relation{
	Read:         {Owner: anywhere, Admin: anywhere, Supervisor: inQueues, Agent: inQueues},
	Reply:        {Owner: anywhere, Admin: anywhere, Supervisor: inQueues, Agent: mine},
	Note:         {Owner: anywhere, Admin: anywhere, Supervisor: inQueues, Agent: inQueues},
	Tag:          {Owner: anywhere, Admin: anywhere, Supervisor: inQueues, Agent: mine},
	Priority:     {Owner: anywhere, Admin: anywhere, Supervisor: inQueues, Agent: mine},
	Status:       {Owner: anywhere, Admin: anywhere, Supervisor: inQueues, Agent: mine},
	Claim:        {Owner: anywhere, Admin: anywhere, Supervisor: inQueues, Agent: inQueues},
	Assign:       {Owner: anywhere, Admin: anywhere, Supervisor: inQueues, Agent: none},
	Transfer:     {Owner: anywhere, Admin: anywhere, Supervisor: inQueues, Agent: Own},
	CreateTask:   {Owner: anywhere | Workspace, Admin: anywhere | Workspace, Supervisor: inQueues | Workspace, Agent: mine | Workspace},
	CompleteTask: {Owner: anywhere, Admin: anywhere, Supervisor: inQueues, Agent: mine},
	EditContact:  {Owner: Workspace, Admin: Workspace, Supervisor: Workspace, Agent: Workspace},
	// Removing a customer or folding two into one loses what an agent
	// may not undo: supervisors and up.
	DeleteContact: {Owner: Workspace, Admin: Workspace, Supervisor: Workspace},
	MergeContacts: {Owner: Workspace, Admin: Workspace, Supervisor: Workspace},
	// The whole customer base in or out at once: admins and owners.
	TransferContacts: {Owner: Workspace, Admin: Workspace},
	Configure:        {Owner: Workspace, Admin: Workspace},
	ManageOwners:     {Owner: Workspace},
	ReadEvents:       {Owner: Workspace, Admin: Workspace},
	ReadAuditLog:     {Owner: Workspace, Admin: Workspace, Supervisor: Workspace},
}

// Decision is the answer for one request.
type Decision uint8

const (
	// Hidden: the caller may not even see the conversation (not_found).
	Hidden Decision = iota
	// Forbidden: they see it, but it is read-only to them for this action.
	Forbidden
	// Allowed: go ahead.
	Allowed
)

func (d Decision) String() string {
	switch d {
	case Allowed:
		return "allowed"
	case Forbidden:
		return "forbidden"
	}
	return "hidden"
}

// Decide answers whether role may take action a on something standing in
// relation r to the caller. Unknown roles and actions get nothing.
func Decide(role Role, a Action, r Relation) Decision {
	if !Visible(role, r) {
		return Hidden
	}
	if Table[a][role]&r != 0 {
		return Allowed
	}
	return Forbidden
}

// Visible reports whether role may see what stands in relation r.
func Visible(role Role, r Relation) bool {
	if r == Workspace {
		return slices.Contains(Roles, role)
	}
	return Table[Read][role]&r != 0
}

// Relate places a conversation, held by assigneeID in queueID, for the
// caller userID (empty for API keys) who belongs to queueIDs.
func Relate(userID string, queueIDs []string, assigneeID, queueID string) Relation {
	switch {
	case userID != "" && assigneeID == userID:
		return Own
	case queueID == "" || !slices.Contains(queueIDs, queueID):
		return OtherQueue
	case assigneeID == "":
		return Unassigned
	}
	return Colleague
}

// RelateTask places a task assigned to assigneeID for the caller userID.
// An unassigned task stands where its conversation does (conversation is
// Workspace for a task on a contact only, which anyone may pick up).
func RelateTask(userID, assigneeID string, conversation Relation) Relation {
	switch {
	case userID != "" && assigneeID == userID:
		return Own
	case assigneeID != "":
		return Colleague
	case conversation == Workspace:
		return Unassigned
	}
	return conversation
}
