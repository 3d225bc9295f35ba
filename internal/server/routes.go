package server

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/bot"
	"github.com/baton-cs/baton/canned"
	"github.com/baton-cs/baton/channel"
	"github.com/baton-cs/baton/csat"
	"github.com/baton-cs/baton/customer"
	"github.com/baton-cs/baton/evals"
	"github.com/baton-cs/baton/handoff"
	"github.com/baton-cs/baton/internal/assets"
	"github.com/baton-cs/baton/internal/audit"
	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/compliance"
	"github.com/baton-cs/baton/internal/demo"
	"github.com/baton-cs/baton/internal/httpx"
	"github.com/baton-cs/baton/internal/metrics"
	"github.com/baton-cs/baton/internal/outbound"
	"github.com/baton-cs/baton/kb"
	"github.com/baton-cs/baton/report"
	"github.com/baton-cs/baton/ticket"
	"github.com/baton-cs/baton/workbench"
)

// Routes lists every route of both surfaces: the JSON API (customer and staff) and the web pages.
func (a *App) Routes() (http.Handler, error) {
	static, err := assets.New(assets.Merge(channel.StaticFS, workbench.StaticFS))
	if err != nil {
		return nil, err
	}
	r := gin.New()
	// The client IP rate limits key on is the connection's, not a spoofable X-Forwarded-For —
	// unless the connection comes from a proxy named in BATON_TRUSTED_PROXIES.
	if err := r.SetTrustedProxies(a.Config.TrustedProxies); err != nil {
		return nil, fmt.Errorf("BATON_TRUSTED_PROXIES: %w", err)
	}
	r.ForwardedByClientIP = len(a.Config.TrustedProxies) > 0
	r.RemoteIPHeaders = []string{"X-Forwarded-For", "X-Real-IP"}
	r.Use(gin.CustomRecovery(a.recovered), a.requestLog())
	if token := a.Config.MetricsToken; token != "" {
		if a.Metrics == nil {
			a.Metrics = metrics.New(a.DB.Pool)
		}
		a.Turns.Observe = a.Metrics.ObserveTurn
		r.Use(a.Metrics.Middleware())
		r.GET("/metrics", a.Metrics.Handler(token))
	}
	// The audit log records, after the handler, what signed-in staff change on every staff route
	// (and sign-ins, and reads of a customer's full record) — routes added later included.
	if a.Audit == nil {
		a.Audit = audit.New(a.DB.Pool, a.Log)
	}
	if a.Privacy == nil {
		a.Privacy = &audit.Privacy{Pool: a.DB.Pool}
	}
	r.Use(securityHeaders(static), httpx.RejectNUL(), a.Users.Authenticate(), a.Audit.Middleware())
	r.HandleMethodNotAllowed = true
	r.NoRoute(func(c *gin.Context) { httpx.Error(c, http.StatusNotFound, "no such route") })
	r.NoMethod(func(c *gin.Context) { httpx.Error(c, http.StatusMethodNotAllowed, "method not allowed") })

	r.GET("/healthz", a.healthz)
	r.GET("/readyz", a.readyz)
	r.GET("/static/*file", static.Handler())
	r.GET("/api/openapi.yaml", openAPI)

	// Customers: public, rate-limited per IP.
	convs := &channel.API{Convs: a.Convs, Turns: a.Turns, Queue: a.Handoffs, IdentitySecret: a.Config.IdentitySecret,
		EmailToken: a.Config.EmailInboundToken}
	liveConv := &channel.Live{Convs: a.Convs, Bus: a.Bus, Log: a.Log, Done: a.Done, Queue: a.Handoffs}
	public := r.Group("/api/v1", httpx.NewRateLimiter(a.Config.PublicRate, 20).Middleware())
	public.POST("/conversations", convs.CreateConversation)
	public.GET("/conversations/:id", convs.GetConversation)
	public.POST("/conversations/:id/messages", convs.PostMessage)
	public.GET("/conversations/:id/messages", convs.ListMessages)
	public.PUT("/conversations/:id/language", convs.SetLanguage)
	public.GET("/conversations/:id/ws", liveConv.ConversationWS)
	// Satisfaction ratings: the customer rates a resolved conversation or a solved ticket.
	if a.CSAT == nil {
		a.CSAT = csat.NewStore(a.DB.Pool, a.Config.CSATEditWindow)
	}
	ratings := &channel.Ratings{API: convs, Store: a.CSAT}
	public.GET("/conversations/:id/rating", ratings.Get)
	public.PUT("/conversations/:id/rating", ratings.Put)

	// Staff sign-in, slowed per IP against password guessing.
	login := httpx.NewRateLimiter(1, 10).Middleware()
	r.POST("/api/v1/auth/login", login, a.Users.LoginAPI)
	r.POST("/api/v1/auth/logout", auth.Require(), a.Users.LogoutAPI)
	r.GET("/api/v1/me", auth.Require(), a.Users.Me)

	// Compliance: banned phrases checked in agents' replies, bot answers, bot templates and
	// published articles; admins keep the rules, supervisors read them and the hits.
	if a.Compliance == nil {
		a.wireCompliance()
	}
	comp := &compliance.API{Store: &compliance.Store{Pool: a.DB.Pool}, Checker: a.Compliance}
	r.GET("/api/v1/compliance/rules", auth.Require(auth.RoleSupervisor), comp.ListRules)
	r.POST("/api/v1/compliance/rules", auth.Require(auth.RoleAdmin), comp.CreateRule)
	r.PUT("/api/v1/compliance/rules/:id", auth.Require(auth.RoleAdmin), comp.UpdateRule)
	r.DELETE("/api/v1/compliance/rules/:id", auth.Require(auth.RoleAdmin), comp.DeleteRule)
	r.GET("/api/v1/compliance/hits", auth.Require(auth.RoleSupervisor), comp.ListHits)

	// Agents.
	ho := &handoff.API{Store: a.Handoffs, Convs: a.Convs, Bus: a.Bus, Done: a.Done, Compliance: a.Compliance, Privacy: a.Privacy}
	agents := r.Group("/api/v1", auth.Require(auth.RoleAgent))
	agents.GET("/queue", ho.Queue)
	agents.GET("/queue/ws", ho.QueueWS)
	agents.GET("/agent/conversations", ho.Mine)
	agents.GET("/conversations/:id/context", ho.ContextCard)
	agents.POST("/conversations/:id/claim", ho.Claim)
	agents.POST("/conversations/:id/agent-messages", ho.AgentMessage)
	agents.POST("/conversations/:id/resolve", ho.Resolve)
	agents.POST("/queue/next", ho.ClaimNext)
	agents.POST("/conversations/:id/accept", ho.Accept)
	agents.POST("/conversations/:id/decline", ho.Decline)
	agents.GET("/agent/profile", ho.MyProfile)
	agents.POST("/agent/presence", ho.SetPresence)
	agents.POST("/agent/heartbeat", ho.Heartbeat)
	admins := r.Group("/api/v1", auth.Require(auth.RoleAdmin))
	admins.PUT("/agents/:id/profile", ho.SetProfile)
	admins.PUT("/teams/:skill", ho.SetTeam)
	// Messaging channels and outbound webhooks (admins configure them; a channel posts signed).
	hooks := &outbound.Admin{Pool: a.DB.Pool}
	admins.GET("/webhooks", hooks.ListWebhooks)
	admins.POST("/webhooks", hooks.CreateWebhook)
	admins.DELETE("/webhooks/:id", hooks.DeleteWebhook)
	admins.GET("/webhooks/:id/deliveries", hooks.WebhookDeliveries)
	admins.GET("/channels", hooks.ListChannels)
	admins.POST("/channels", hooks.CreateChannel)
	admins.DELETE("/channels/:name", hooks.DeleteChannel)
	admins.GET("/channels/:name/deliveries", hooks.ChannelDeliveries)
	// Signed by the channel's secret, so not limited per client IP as the public API is (a platform
	// posts all its users' messages from a few addresses); the body is limited.
	r.POST("/api/v1/channels/:name/inbound", convs.Inbound)
	r.POST("/api/v1/email/inbound", convs.EmailInbound)
	agents.GET("/teams", ho.Teams)
	// SLA targets and the supervisor's board (admins and supervisors; admins set the targets).
	supervisors := r.Group("/api/v1", auth.Require(auth.RoleSupervisor))
	supervisors.GET("/sla", ho.GetSLA)
	supervisors.GET("/supervisor", ho.Supervisor)
	supervisors.GET("/supervisor/ws", ho.SupervisorWS)
	supervisors.POST("/supervisor/conversations/:id/reassign", ho.Reassign)
	admins.PUT("/sla", ho.PutSLA)
	supervisors.GET("/csat", (&csat.API{Store: a.CSAT}).List)
	// Reports: volume, the bot, response times, CSAT, tickets, compliance — as JSON and per-section CSV.
	reports := &report.API{DB: a.DB.Pool}
	supervisors.GET("/reports", reports.Get)
	supervisors.GET("/reports/:section", reports.CSV)

	// Agents working together: private notes with @mentions, notifications, transfers, wrap-up
	// dispositions, read marks (unread counts), typing indicators.
	agents.GET("/conversations/:id/timeline", ho.Timeline)
	agents.POST("/conversations/:id/notes", ho.AddNote)
	agents.POST("/conversations/:id/transfer", ho.Transfer)
	agents.GET("/conversations/:id/transfer-targets", ho.TransferTargets)
	agents.POST("/conversations/:id/read", ho.MarkRead)
	agents.GET("/colleagues", ho.Colleagues)
	agents.GET("/dispositions", ho.Dispositions)
	admins.PUT("/dispositions", ho.SetDispositions)
	agents.GET("/notifications", ho.Notifications)
	agents.POST("/notifications/read-all", ho.ReadAllNotifications)
	agents.POST("/notifications/:nid/read", ho.ReadNotification)
	agents.GET("/agent/ws", ho.AgentWS)
	typing := &channel.Typing{API: convs, Bus: a.Bus}
	public.POST("/conversations/:id/typing", typing.Post)

	// Knowledge base: editors change it; every staff role may search it.
	kbAPI := &kb.API{Store: a.KB, Compliance: a.Compliance}
	r.GET("/api/v1/kb/search", auth.Require(), kbAPI.Search)
	editors := r.Group("/api/v1/kb", auth.Require(auth.RoleEditor))
	editors.GET("/articles", kbAPI.ListArticles)
	editors.POST("/articles", kbAPI.CreateArticle)
	editors.GET("/articles/:id", kbAPI.GetArticle)
	editors.PUT("/articles/:id", kbAPI.UpdateArticle)
	editors.POST("/articles/:id/publish", kbAPI.PublishArticle)
	editors.POST("/articles/:id/archive", kbAPI.ArchiveArticle)
	editors.POST("/import", kbAPI.Import)
	editors.GET("/export", kbAPI.Export)
	editors.GET("/suggestions", kbAPI.ListSuggestions)
	editors.POST("/suggestions/:id/approve", kbAPI.ApproveSuggestion)
	editors.POST("/suggestions/:id/dismiss", kbAPI.DismissSuggestion)
	editors.GET("/suggestions/:id", kbAPI.GetSuggestion)
	editors.POST("/suggestions/:id/merge", kbAPI.MergeSuggestion)
	editors.GET("/unanswered", kbAPI.Unanswered)
	editors.GET("/articles/:id/versions", kbAPI.ListVersions)
	editors.GET("/articles/:id/versions/:n", kbAPI.GetVersion)
	editors.POST("/articles/:id/versions/:n/restore", kbAPI.RestoreVersion)
	editors.GET("/tags", kbAPI.ListTags)
	editors.POST("/preview", kbAPI.Preview)

	// The bot definition: editors read, validate, change and roll it back, and try messages.
	botAPI := &bot.API{Store: a.Bots.Store, Loader: a.Bots, Bot: a.Turns.Bot, Compliance: a.Compliance}
	bots := r.Group("/api/v1/bot", auth.Require(auth.RoleEditor))
	bots.GET("/definition", botAPI.GetDefinition)
	bots.PUT("/definition", botAPI.PutDefinition)
	bots.POST("/definition/validate", botAPI.ValidateDefinition)
	bots.GET("/definitions", botAPI.ListDefinitions)
	bots.POST("/definitions/:version/activate", botAPI.ActivateDefinition)
	bots.POST("/predict", botAPI.Predict)
	// What the bot would answer from the knowledge base, through the bot's own answer path.
	editors.POST("/answer-preview", botAPI.AnswerPreview)

	// Evaluators: test conversations with a chosen customer profile, and what the bot holds.
	evalAPI := &evals.API{Pool: a.DB.Pool, Convs: a.Convs}
	if a.EvalRuns == nil {
		a.EvalRuns = &evals.Runs{Pool: a.DB.Pool, Log: a.Log} // runs fail: nothing to launch them with
	}
	evaluators := r.Group("/api/v1/eval", auth.Require(auth.RoleEvaluator))
	evaluators.POST("/conversations", evalAPI.CreateConversation)
	evaluators.GET("/conversations/:id/trace", evalAPI.GetTrace)
	evaluators.GET("/suites", a.EvalRuns.ListSuites)
	evaluators.POST("/runs", a.EvalRuns.StartRun)
	evaluators.GET("/runs", a.EvalRuns.ListRuns)
	evaluators.GET("/runs/:id", a.EvalRuns.GetRun)
	evaluators.GET("/runs/:id/report", a.EvalRuns.GetReport)
	evaluators.GET("/compare", a.EvalRuns.CompareRuns)

	// The demo shop's order system, which the demo bot's actions call.
	if a.Config.Demo {
		orders := http.StripPrefix("/demo/api", &demo.OrderService{})
		r.Any("/demo/api/*path", gin.WrapH(orders))
	}

	// The agent's context: summary, suggested articles, customer 360, canned responses.
	if a.Canned == nil { // wired by Serve; tests that build an App by hand get them here
		a.wireAgentContext()
	}
	assist := &handoff.AssistAPI{Store: a.Handoffs, Convs: a.Convs, Summaries: a.Summaries, KB: a.KB}
	agents.GET("/conversations/:id/summary", assist.Summary)
	agents.GET("/conversations/:id/suggested-articles", assist.Articles)
	custAPI := &customer.API{Store: a.Customers, Privacy: a.Privacy}
	agents.GET("/customers/:id", custAPI.Get)
	agents.PUT("/customers/:id", custAPI.UpdateProfile)
	agents.GET("/customers/:id/contact", custAPI.Contact)

	// Compliance: the audit log, privacy settings and data-subject requests (admins).
	admins.GET("/audit", a.Audit.List)
	admins.GET("/audit.csv", a.Audit.ExportCSV)
	admins.GET("/privacy", a.Privacy.GetSettings)
	admins.PUT("/privacy", a.Privacy.PutSettings)
	admins.GET("/customers/:id/export", custAPI.ExportCustomer)
	admins.POST("/customers/:id/erase", custAPI.EraseCustomer)
	cannedAPI := &canned.API{Store: a.Canned, Convs: a.Convs, Slots: a.Handoffs.ConversationSlots, Privacy: a.Privacy}
	cannedStaff := r.Group("/api/v1/canned-responses", auth.Require(auth.RoleAgent, auth.RoleEditor))
	cannedStaff.GET("", cannedAPI.List)
	cannedStaff.POST("", cannedAPI.Create)
	cannedStaff.GET("/:id", cannedAPI.Get)
	cannedStaff.PUT("/:id", cannedAPI.Update)
	cannedStaff.DELETE("/:id", cannedAPI.Delete)
	r.POST("/api/v1/canned-responses/:id/render", auth.Require(auth.RoleAgent), cannedAPI.Render)

	// Tickets (工单): agents, supervisors and admins work them; editors may open and read them.
	// The chat answers a ticket number with its status (bot.Service.Tickets).
	if a.Tickets == nil { // wired by Serve; tests that build an App by hand get it here
		a.Tickets = ticket.NewStore(a.DB.Pool)
	}
	if a.Turns != nil {
		a.Turns.Tickets = a.Tickets
	}
	tickets := &ticket.API{Store: a.Tickets, Compliance: a.Compliance}
	ticketReaders := r.Group("/api/v1", auth.Require(auth.RoleAgent, auth.RoleEditor))
	ticketReaders.GET("/tickets", tickets.List)
	ticketReaders.POST("/tickets", tickets.Create)
	ticketReaders.GET("/tickets/:id", tickets.Get)
	ticketReaders.GET("/ticket-sla", tickets.GetSLA)
	agents.PATCH("/tickets/:id", tickets.Update)
	agents.POST("/tickets/:id/comments", tickets.Comment)
	admins.PUT("/ticket-sla", tickets.PutSLA)

	// Web pages.
	pages := workbench.NewPages(static, a.Users, a.Config.CookieSecure)
	r.GET("/", pages.Home)
	r.GET("/chat", channel.ChatPage(static))
	r.GET("/widget.js", channel.WidgetScript)
	r.GET("/login", pages.LoginForm)
	r.POST("/login", login, pages.Login)
	r.POST("/logout", pages.Logout)
	r.GET("/workbench", pages.Queue)
	r.GET("/workbench/conversations/:id", pages.Conversation)
	r.GET("/workbench/kb", pages.Articles)
	r.GET("/workbench/kb/articles/new", pages.ArticleEdit)
	r.GET("/workbench/kb/articles/:id", pages.ArticleEdit)
	r.GET("/workbench/kb/suggestions", pages.Suggestions)
	r.GET("/workbench/bot", pages.Bot)
	r.GET("/workbench/evals", pages.Evals)
	r.GET("/workbench/supervisor", pages.Supervisor)
	r.GET("/workbench/canned", pages.Canned)
	r.GET("/workbench/audit", pages.Audit)
	r.GET("/workbench/customers/:id", pages.Customer)
	r.GET("/workbench/tickets", pages.Tickets)
	r.GET("/workbench/tickets/:id", pages.Ticket)
	r.GET("/workbench/compliance", pages.Compliance)
	r.GET("/workbench/reports", pages.Reports)
	return r, nil
}
