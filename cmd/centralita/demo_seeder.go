package main

import (
	"context"
	"time"

	"github.com/centralita/centralita/domain"
)

// seeder creates demo data through the domain service, remembering the first
// error so the seeding code reads as a script.
type seeder struct {
	ctx context.Context
	svc *domain.Service
	err error
	// parent is the root seeder when acting as a user.
	parent *seeder
}

func (s *seeder) check(err error) {
	if s.err == nil && err != nil {
		s.err = err
	}
}

func valuePtr[T any](v T) *T { return &v }

func (s *seeder) queue(name string) string {
	q, err := s.svc.CreateQueue(s.ctx, domain.QueueInput{Name: valuePtr(name)})
	s.check(err)
	if q == nil {
		return ""
	}
	return q.ID
}

func (s *seeder) user(email, name string, role domain.Role, queues ...string) *domain.User {
	u, err := s.svc.CreateUser(s.ctx, domain.NewUser{Email: email, Name: name, Password: demoPassword,
		Role: role, QueueIDs: queues})
	s.check(err)
	if u != nil {
		online := domain.AvailabilityOnline
		_, err = s.svc.UpdateUser(s.ctx, u.ID, domain.UserUpdate{Availability: &online})
		s.check(err)
	}
	return u
}

func (s *seeder) tag(name, color string) string {
	t, err := s.svc.CreateTag(s.ctx, domain.TagInput{Name: valuePtr(name), Color: valuePtr(color)})
	s.check(err)
	if t == nil {
		return ""
	}
	return t.ID
}

func (s *seeder) channel(name, phoneNumberID, display string, mode domain.ChannelMode) string {
	c, err := s.svc.CreateChannel(s.ctx, domain.ChannelInput{Name: valuePtr(name), PhoneNumberID: valuePtr(phoneNumberID),
		WABAID: valuePtr("200000000000001"), DisplayPhoneNumber: valuePtr(display), Mode: valuePtr(mode),
		AccessToken: valuePtr(demoGraphToken)})
	s.check(err)
	if c == nil {
		return ""
	}
	return c.ID
}

func (s *seeder) contact(name, waID, e164 string) string {
	c, err := s.svc.CreateContact(s.ctx, domain.ContactInput{Name: valuePtr(name), WaID: valuePtr(waID), PhoneE164: valuePtr(e164)})
	s.check(err)
	if c == nil {
		return ""
	}
	return c.ID
}

func (s *seeder) conversation(contact, channel, queue string) string {
	if s.err != nil {
		return ""
	}
	c, err := s.svc.CreateConversation(s.ctx, domain.NewConversation{ContactID: contact, ChannelID: channel, QueueID: queue})
	s.check(err)
	if c == nil {
		return ""
	}
	return c.ID
}

func (s *seeder) inbound(conv, text string) {
	if s.err == nil {
		_, err := s.svc.RecordInboundText(s.ctx, conv, text, time.Now().UTC())
		s.check(err)
	}
}

func (s *seeder) tagConv(conv, tag string) {
	if s.err == nil {
		_, err := s.svc.TagConversation(s.ctx, conv, tag, true)
		s.check(err)
	}
}

// as returns a seeder acting as the given user, so replies, notes and
// tasks carry a real author.
func (s *seeder) as(u *domain.User) *seeder {
	if u == nil {
		return s
	}
	sys, _ := domain.PrincipalFrom(s.ctx)
	ctx := domain.WithPrincipal(s.ctx, domain.Principal{WorkspaceID: sys.WorkspaceID, UserID: u.ID,
		Role: u.Role, QueueIDs: u.QueueIDs})
	return &seeder{ctx: ctx, svc: s.svc, err: s.err, parent: s}
}

func (s *seeder) reply(conv, text string) {
	if s.err == nil {
		_, err := s.svc.SendText(s.ctx, conv, text)
		s.report(err)
	}
}

func (s *seeder) note(conv, body string) {
	if s.err == nil {
		_, err := s.svc.AddNote(s.ctx, conv, body)
		s.report(err)
	}
}

func (s *seeder) status(conv string, change domain.StatusChange) {
	if s.err == nil {
		_, err := s.svc.ChangeStatus(s.ctx, conv, change)
		s.report(err)
	}
}

func (s *seeder) task(conv, title string, due time.Time) {
	if s.err == nil {
		_, err := s.svc.CreateTask(s.ctx, domain.NewTask{ConversationID: conv, Title: title, DueAt: &due})
		s.report(err)
	}
}

// report records an error on the root seeder.
func (s *seeder) report(err error) {
	s.check(err)
	if s.parent != nil {
		s.parent.check(err)
	}
}
