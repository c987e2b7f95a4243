package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/centralita/centralita/domain"
	"github.com/centralita/centralita/whatsapp"
)

// The demo workspace is for trying Centralita locally. Its API key is well
// known on purpose, so the README's examples work verbatim; --demo is
// refused in production.
const (
	demoOwnerEmail = "owner@demo.centralita.dev"
	demoPassword   = "centralita-demo"
	demoAPIKey     = "ck_demo_local_only_do_not_use_in_production"
	// demoGraphToken is the access token the demo's fake Graph API accepts.
	demoGraphToken = "EAAG-demo-fake-graph-token"
	// demoAppSecret signs webhooks in the demo when WHATSAPP_APP_SECRET is unset.
	demoAppSecret = "demo-app-secret"
)

// demoNumbers are the demo's WhatsApp numbers, served by the fake Graph API.
var demoNumbers = map[string]whatsapp.FakeNumber{
	"100000000000001": {WABAID: "200000000000001", DisplayPhoneNumber: "5115550100", Token: demoGraphToken},
	"100000000000002": {WABAID: "200000000000001", DisplayPhoneNumber: "51999550101", Token: demoGraphToken},
}

// startDemoGraph serves a fake of Meta's Graph API on a loopback port, so
// the demo's replies are really sent (to the fake) and get wamids; like Meta,
// it then posts signed receipts (sent, delivered, read) to callbackURL.
// Every answer waits latency first, as Meta's take time.
func startDemoGraph(callbackURL, appSecret string, latency time.Duration) (baseURL string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	fake := whatsapp.NewFakeGraph(whatsapp.FakeGraphOptions{Numbers: demoNumbers, AppSecret: appSecret})
	registerDemoMedia(fake)
	fake.SetLatency(latency)
	srv := &http.Server{Handler: fake, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	ctx, cancel := context.WithCancel(context.Background())
	go emitDemoReceipts(ctx, fake, callbackURL, 500*time.Millisecond)
	return "http://" + ln.Addr().String(), func() { cancel(); srv.Close() }, nil
}

// emitDemoReceipts reports every message the fake accepted as read, a
// moment after it was sent, as Meta's status webhooks would.
func emitDemoReceipts(ctx context.Context, fake *whatsapp.FakeGraph, callbackURL string, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	done := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		for _, m := range fake.SentMessages()[done:] {
			// A failed post is retried on the next tick, like Meta retries.
			if _, err := fake.EmitStatuses(ctx, callbackURL, whatsapp.LifecycleSpecs(m, "read", 0, time.Now())); err != nil {
				break
			}
			done++
		}
	}
}

// demoCallbackURL is where the demo's fake Meta posts webhooks.
func demoCallbackURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/webhooks/whatsapp"
}

type demoInfo struct {
	WorkspaceID string
	Seeded      bool
}

// seedDemo creates the demo workspace once; later starts reuse it.
func seedDemo(ctx context.Context, a *app) (demoInfo, error) {
	store := a.db.Store()
	existing, err := store.FindActiveUsersByEmail(ctx, demoOwnerEmail)
	if err != nil {
		return demoInfo{}, err
	}
	if len(existing) > 0 {
		return demoInfo{WorkspaceID: existing[0].WorkspaceID}, nil
	}
	// One transaction: a seed that fails half-way leaves nothing behind, and
	// the next start seeds again instead of finding a half-built demo.
	var info demoInfo
	err = store.InTx(ctx, func(ctx context.Context) error {
		var err error
		info, err = seedDemoWorkspace(ctx, a)
		return err
	})
	return info, err
}

func seedDemoWorkspace(ctx context.Context, a *app) (demoInfo, error) {
	store := a.db.Store()
	svc := a.service
	boot, err := svc.Bootstrap(ctx, domain.BootstrapInput{WorkspaceName: "Demo Centralita",
		OwnerName: "Olga Dueña", Email: demoOwnerEmail, Password: demoPassword})
	if err != nil {
		return demoInfo{}, err
	}
	ws := boot.Workspace.ID
	sys := domain.SystemContext(ctx, ws)
	s := &seeder{ctx: sys, svc: svc}
	now := time.Now().UTC()
	key := &domain.APIKey{ID: domain.NewID(domain.PrefixAPIKey), WorkspaceID: ws, Name: "demo (well-known)",
		Role: domain.RoleAdmin, Prefix: demoAPIKey[:11], SecretHash: domain.HashToken(demoAPIKey), CreatedAt: now}
	s.check(store.CreateAPIKey(sys, key))

	ventas, soporte, cobranzas := s.queue("Ventas"), s.queue("Soporte"), s.queue("Cobranzas")
	// New customers land in General until they pick a queue; the
	// supervisor triages it.
	general := boot.Workspace.DefaultQueueID
	sofia := s.user("sofia@demo.centralita.dev", "Sofía Supervisora", domain.RoleSupervisor, ventas, soporte, general)
	ana := s.user("ana@demo.centralita.dev", "Ana Ventas", domain.RoleAgent, ventas)
	luis := s.user("luis@demo.centralita.dev", "Luis Soporte", domain.RoleAgent, soporte)
	marta := s.user("marta@demo.centralita.dev", "Marta Cobranzas", domain.RoleAgent, cobranzas)
	vip, lead, reclamo, factura, legacy := s.tag("vip", "#d4a017"), s.tag("lead", "#2e8b57"),
		s.tag("reclamo", "#c0392b"), s.tag("factura", "#2c3e50"), s.tag("numero-antiguo", "#7f8c8d")
	official := s.channel("Línea oficial", "100000000000001", "+51 1 555 0100", domain.ChannelModeOfficial)
	oldNumber := s.channel("Celular de ventas (antiguo)", "100000000000002", "+51 999 555 0101", domain.ChannelModeRedirect)
	// The old sales phone's customers are sales leads: they land in Ventas.
	_, err = svc.UpdateChannel(sys, oldNumber, domain.ChannelInput{DefaultQueueID: &ventas})
	s.check(err)

	carla := s.contact("Carla Rojas", "51987654321", "+51987654321")
	jorge := s.contact("Jorge Méndez", "5215512345678", "+525512345678")
	valentina := s.contact("Valentina Díaz", "5491123456789", "+5491123456789")
	pedro := s.contact("Pedro Alves", "5511987654321", "+5511987654321")
	lucia := s.contact("Lucía Torres", "573001234567", "+573001234567")
	diego := s.contact("Diego Fernández", "56987654321", "+56987654321")

	c1 := s.conversation(carla, official, ventas)
	s.inbound(c1, "Hola, quiero información sobre los planes empresariales")

	c2 := s.conversation(jorge, official, ventas)
	s.inbound(c2, "Buenas tardes, ¿tienen envío a Monterrey?")
	s.as(ana).reply(c2, "¡Hola Jorge! Sí, enviamos a todo México. ¿Qué producto te interesa?")
	s.inbound(c2, "El plan Pyme para 5 usuarios")
	s.tagConv(c2, lead)
	s.as(ana).note(c2, "Cliente potencial: pedir RUC/RFC para la cotización.")

	c3 := s.conversation(valentina, official, soporte)
	s.inbound(c3, "No puedo ingresar a mi cuenta")
	s.as(luis).reply(c3, "Te envié un enlace para restablecer la contraseña. ¿Me confirmas si funcionó?")
	s.as(luis).status(c3, domain.StatusChange{Status: domain.StatusPendingCustomer})
	s.as(luis).task(c3, "Llamar a Valentina si no responde", now.Add(24*time.Hour))

	c4 := s.conversation(pedro, official, cobranzas)
	s.inbound(c4, "Quiero pagar la factura de octubre")
	s.as(marta).reply(c4, "Claro Pedro, aquí tienes el enlace de pago. ¡Gracias!")
	s.tagConv(c4, factura)
	s.as(marta).status(c4, domain.StatusChange{Status: domain.StatusClosed, CloseReason: domain.CloseResolved})

	c5 := s.conversation(lucia, official, soporte)
	s.inbound(c5, "El pedido llegó incompleto, falta un artículo")
	s.as(luis).reply(c5, "Lamento lo ocurrido, Lucía. Ya lo estoy revisando con el almacén.")
	s.tagConv(c5, reclamo)
	s.tagConv(c5, vip)
	_, err = svc.SetPriority(sys, c5, domain.PriorityHigh)
	s.check(err)

	c6 := s.conversation(diego, oldNumber, ventas)
	s.inbound(c6, "Hola, este es el número de ventas?")
	s.tagConv(c6, legacy)

	s.switchboard(demoSwitchboard{general: general, ventas: ventas, soporte: soporte, cobranzas: cobranzas,
		supervisor: sofia.ID, lead: lead, reclamo: reclamo, factura: factura})
	return demoInfo{WorkspaceID: ws, Seeded: true}, s.err
}

func printDemo(w io.Writer, addr string, info demoInfo) {
	state := "already seeded; reusing it"
	if info.Seeded {
		state = "seeded"
	}
	fmt.Fprintf(w, `Centralita demo workspace %s (%s)
  Log in:  curl -s -X POST http://%s/v1/auth/login -H 'Content-Type: application/json' \
             -d '{"email":"%s","password":"%s"}'
  Agents:  ana@, luis@, pablo@, marta@ (agents), sofia@ (supervisor) @demo.centralita.dev, same password
  API key: %s   (admin; demo only)
  Try:     curl -s -H 'Authorization: Bearer %s' http://%s/v1/conversations
  Customers write (official + legacy number):
           go run ./cmd/centralita simulate --url http://%s/webhooks/whatsapp --app-secret %s \
             --numbers 100000000000001,100000000000002 --count 20
  Types:   add --types all (text, media, location, orders, number changes...); media.url then serves the files
`, info.WorkspaceID, state, addr, demoOwnerEmail, demoPassword, demoAPIKey, demoAPIKey, addr, addr, demoAppSecret)
}
