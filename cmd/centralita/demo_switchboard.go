package main

import "github.com/centralita/centralita/domain"

// demoSLAFirstResponse is the demo's first-response target in Soporte:
// short, so the escalation shows within a minute or two of trying it.
const demoSLAFirstResponse = 60

// demoSwitchboard holds what the demo's switchboard routes to.
type demoSwitchboard struct {
	general, ventas, soporte, cobranzas string
	supervisor                          string
	lead, reclamo, factura              string
}

// switchboard configures the demo workspace's welcome bot, business hours,
// SLA policy and automatic assignment, after its history is seeded (so the
// seeded conversations stay as they were written):
//   - the bot greets new customers with a numbered menu (text), whose
//     answers route to Ventas, Soporte or Cobranzas with a tag;
//   - Ventas and Cobranzas work office hours in Lima (the bot tells
//     customers writing outside them when the queue opens); Soporte is
//     always open;
//   - Soporte hands conversations out round robin to its two agents and
//     answers first within a minute, or the supervisor is notified.
func (s *seeder) switchboard(d demoSwitchboard) {
	s.user("pablo@demo.centralita.dev", "Pablo Soporte", domain.RoleAgent, d.soporte)
	office, err := s.svc.CreateBusinessHours(s.ctx, domain.BusinessHoursInput{Name: valuePtr("Oficina Lima"),
		Timezone: valuePtr("America/Lima"), Weekly: valuePtr(officeHours()),
		Holidays: valuePtr([]domain.Holiday{{Date: "2026-12-25", Name: "Navidad"}, {Date: "2027-01-01", Name: "Año Nuevo"}})})
	s.check(err)
	policy, err := s.svc.CreateSLAPolicy(s.ctx, domain.SLAPolicyInput{Name: valuePtr("Soporte: respuesta en 1 minuto"),
		FirstResponseSeconds: valuePtr(int64(demoSLAFirstResponse)), NextResponseSeconds: valuePtr(int64(300)),
		ResolutionSeconds: valuePtr(int64(24 * 3600)), WarningRatio: valuePtr(0.5),
		Escalation: &domain.Escalation{Action: domain.EscalateNotify, NotifyUserIDs: []string{d.supervisor}}})
	s.check(err)
	if office == nil || policy == nil {
		return
	}
	roundRobin := domain.AssignmentRoundRobin
	for _, q := range []struct {
		id    string
		input domain.QueueInput
	}{
		{d.ventas, domain.QueueInput{BusinessHoursID: &office.ID}},
		{d.cobranzas, domain.QueueInput{BusinessHoursID: &office.ID}},
		{d.soporte, domain.QueueInput{AssignmentMode: &roundRobin, SLAPolicyID: &policy.ID}},
	} {
		_, err := s.svc.UpdateQueue(s.ctx, q.id, q.input)
		s.check(err)
	}
	_, err = s.svc.SaveWelcomeBot(s.ctx, "", domain.WelcomeBot{Enabled: true, Style: domain.BotStyleText,
		Greeting: "¡Hola! Soy el asistente de Demo Centralita. Responde con el número de tu consulta:",
		Options: []domain.BotOption{
			{Key: "ventas", Title: "Ventas y nuevos servicios", QueueID: d.ventas, TagIDs: []string{d.lead},
				Keywords: []string{"comprar", "precio", "cotizacion", "plan"}},
			{Key: "soporte", Title: "Soporte técnico", QueueID: d.soporte, TagIDs: []string{d.reclamo},
				Priority: domain.PriorityHigh, Keywords: []string{"no funciona", "falla", "internet", "router"}},
			{Key: "cobranzas", Title: "Pagos, facturación o cobranzas", QueueID: d.cobranzas, TagIDs: []string{d.factura},
				Keywords: []string{"pagar", "factura", "deuda", "recibo"}},
		},
		FallbackQueueID: d.general, MaxReprompts: 2, StickyHours: 24,
		OutOfHoursMessage: "Gracias por escribirnos. Nuestro equipo atiende de lunes a viernes de 9:00 a 18:00; " +
			"te responderemos el {next_opening}."})
	s.check(err)
}

// officeHours is Monday to Friday, 09:00-13:00 and 14:00-18:00.
func officeHours() []domain.Shift {
	var shifts []domain.Shift
	for _, day := range []string{"mon", "tue", "wed", "thu", "fri"} {
		shifts = append(shifts, domain.Shift{Day: day, Open: "09:00", Close: "13:00"},
			domain.Shift{Day: day, Open: "14:00", Close: "18:00"})
	}
	return shifts
}
