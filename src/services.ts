// Composition by hand, in one place: the database handle, then the services built on it.
import type { Config } from './config.ts';
import type { Db } from './db/database.ts';
import { primaryReports, type ReportsDb } from './db/reports.ts';
import { type DatabaseState, pingDatabase } from './db/watch.ts';
import { registerAddresseeRule, registerProvisioningRule } from './http/access-rules.ts';
import { TokenService } from './modules/auth/tokens.ts';
import { BundleService } from './modules/bundle/service.ts';
import { CaseloadService } from './modules/caseload/service.ts';
import { CohortService } from './modules/cohort/service.ts';
import { ConsultationsService } from './modules/consultations/service.ts';
import { ContextualService } from './modules/contextual/service.ts';
import { DashboardsService } from './modules/dashboards/service.ts';
import { dashboardSubscribable, hubDashboardSubscribable } from './modules/dashboards/subscribable.ts';
import { DocumentsService } from './modules/documents/service.ts';
import { EhcPlanChangesService } from './modules/ehc-plan-changes/service.ts';
import { PlanEvents } from './modules/ehc-plans/events.ts';
import { EhcPlansService } from './modules/ehc-plans/service.ts';
import { EhcReviewsService } from './modules/ehc-reviews/service.ts';
import { reviewAdviceWork } from './modules/ehc-reviews/work.ts';
import { findAdviceAddressee } from './modules/ehcp/repository.ts';
import { EhcpService } from './modules/ehcp/service.ts';
import { ehcpWeeklySubscribable } from './modules/ehcp/subscribable.ts';
import { adviceRequestWork } from './modules/ehcp/work.ts';
import { ExploitationMeetingsService } from './modules/exploitation-meetings/service.ts';
import { HomeService } from './modules/home/service.ts';
import { MentoringService } from './modules/mentoring/service.ts';
import { NotesService } from './modules/notes/service.ts';
import { NotificationsService } from './modules/notifications/service.ts';
import { OrganisationService } from './modules/organisations/service.ts';
import { orInboxMember } from './modules/partners/access.ts';
import { PartnersService } from './modules/partners/service.ts';
import { PeopleService } from './modules/people/service.ts';
import { noCliffEdge } from './modules/post18/guard.ts';
import { Post18Service } from './modules/post18/service.ts';
import type { ProtocolRegistry } from './modules/protocols/registry.ts';
import { ProtocolService } from './modules/protocols/service.ts';
import { RadarService } from './modules/radar/service.ts';
import { radarSubscribable } from './modules/radar/subscribable.ts';
import { RetentionService } from './modules/retention/service.ts';
import { RiskService } from './modules/risk/service.ts';
import { SafeguardingService } from './modules/safeguarding/service.ts';
import { ProvisioningAdmin } from './modules/scim/admin.ts';
import { ScimService } from './modules/scim/service.ts';
import { leaverWork } from './modules/scim/work.ts';
import { Sen2Service } from './modules/sen2/service.ts';
import { findSettingAddressee } from './modules/send-hubs/access.ts';
import { adviceCallWork } from './modules/send-hubs/calls.ts';
import { SendHubsService } from './modules/send-hubs/service.ts';
import { SharingService } from './modules/sharing/service.ts';
import { SolutionsService } from './modules/solutions/service.ts';
import { SsoService } from './modules/sso/service.ts';
import { SubjectAccessService } from './modules/subject-access/service.ts';
import { registerSubscribable } from './modules/subscriptions/registry.ts';
import { SubscriptionsService } from './modules/subscriptions/service.ts';
import { neverUnallocated } from './modules/transfers/guard.ts';
import { TransferService } from './modules/transfers/service.ts';
import { incomingTransferWork } from './modules/transfers/work.ts';
import { TransitionsService } from './modules/transitions/service.ts';
import { meetingWork, planActionWork, referralWork } from './modules/transitions/work.ts';
import { TwoFactorService } from './modules/two-factor/service.ts';

export interface Services {
  people: PeopleService;
  notes: NotesService;
  documents: DocumentsService;
  caseload: CaseloadService;
  bundle: BundleService;
  home: HomeService;
  notifications: NotificationsService;
  organisations: OrganisationService;
  tokens: TokenService;
  protocols: ProtocolService;
  transfers: TransferService;
  ehcPlanChanges: EhcPlanChangesService;
  ehcp: EhcpService;
  ehcPlans: EhcPlansService;
  ehcReviews: EhcReviewsService;
  transitions: TransitionsService;
  retention: RetentionService;
  subjectAccess: SubjectAccessService;
  sharing: SharingService;
  solutions: SolutionsService;
  consultations: ConsultationsService;
  risk: RiskService;
  post18: Post18Service;
  safeguarding: SafeguardingService;
  contextual: ContextualService;
  cohort: CohortService;
  /** The transitions radar (issue 14 part 1), read through `reports`. */
  radar: RadarService;
  /** Scheduled reports: lists and dashboards by email, weekly or monthly (issue 14 part 3). */
  subscriptions: SubscriptionsService;
  /** Managers' dashboards (issue 14 part 2), read through `reports`. */
  dashboards: DashboardsService;
  exploitationMeetings: ExploitationMeetingsService;
  mentoring: MentoringService;
  sendHubs: SendHubsService;
  /** The SEN2 return (issue 14 part 4), read through `reports`. */
  sen2: Sen2Service;
  scim: ScimService;
  scimAdmin: ProvisioningAdmin;
  sso: SsoService;
  twoFactor: TwoFactorService;
  partners: PartnersService;
  /** The database's state now: one bounded `SELECT 1` (src/db/watch.ts). */
  health(): Promise<DatabaseState>;
  /** Where reports read from: the read replica (DATABASE_REPLICA_URL) or the primary (src/db/reports.ts). */
  reports: ReportsDb;
}

export function createServices(
  db: Db,
  config: Config,
  now: () => Date,
  registry: ProtocolRegistry,
  reports: ReportsDb = primaryReports(db),
): Services {
  const protocols = new ProtocolService(db, config, now, registry);
  const transitions = new TransitionsService(db, config, now, protocols);
  // An advice request opens only itself, to whom it is addressed (routes with policy.adviceRequest).
  registerAddresseeRule('adviceRequest', orInboxMember(findAdviceAddressee));
  // A SEND support request opens only itself, to the accounts of its setting (routes with policy.settingRequest).
  registerAddresseeRule('settingRequest', findSettingAddressee);
  // SCIM provisioning (issue 17): the directory's bearer secret opens /scim/v2 (routes with policy.provisioning).
  const scim = new ScimService(db, config, now);
  registerProvisioningRule(scim.rule);
  const people = new PeopleService(db, config, now);
  // Kent 2.5: a child on a plan or in care is never left unallocated (checked before the people module's changes).
  people.guards.register(neverUnallocated);
  // Wiltshire: the children's involvement does not end while the transition plan has no post-18 owner (issue 12).
  people.guards.register(noCliffEdge);
  // My work lists what each module assigns (src/modules/kit/work.ts), besides protocol steps and allocations.
  const home = new HomeService(db, now, protocols);
  for (const source of [planActionWork, referralWork, adviceRequestWork, incomingTransferWork, meetingWork])
    home.work.register(source);
  home.work.register(adviceCallWork);
  // A leaver's cases, for the managers of their teams to move (issue 17: provisioning closes accounts).
  home.work.register(leaverWork);
  // A notification about a step resolves itself when the step moves on, in the engine's transaction.
  const notifications = new NotificationsService(db, now);
  const safeguarding = new SafeguardingService(db, config, now, protocols);
  protocols.onStepMoved((tx, e) => notifications.stepMoved(tx, e.stepId, e.at));
  // Issue 20: the plan, review and plan-change modules start each other's clocks through these events.
  const planEvents = new PlanEvents();
  // Registers its protocol listener (the Cumbria Option 2 email, the line manager taking over) on construction.
  const ehcp = new EhcpService(db, config, now, protocols, reports);
  // The plan document (issue 20): serves and finalises on the assessment's protocol; emits finalIssued.
  const ehcPlans = new EhcPlansService(db, config, now, protocols, ehcp, planEvents);
  // Annual reviews (issue 20): listens to the plan's events from construction.
  const ehcReviews = new EhcReviewsService(db, config, now, protocols, planEvents);
  home.work.register(reviewAdviceWork);
  const transfers = new TransferService(db, config, now, protocols);
  const ehcPlanChanges = new EhcPlanChangesService(db, config, now, protocols, planEvents);
  // A plan moves with the child when a transfer to another council completes (reg 15).
  transfers.onCompletedAcross(ehcPlanChanges.planTransferred);
  // A draft plan left behind is withdrawn as moved to another council (its assessment stays with the old council).
  transfers.onCompletedAcross(ehcPlans.draftMoved);
  // Lists and dashboards offered by email (issue 14 part 3), for the pages and the job: once per process.
  registerSubscribable(radarSubscribable);
  registerSubscribable(ehcpWeeklySubscribable);
  registerSubscribable(dashboardSubscribable);
  registerSubscribable(hubDashboardSubscribable);
  // Its panel on the plan page: an amendment or cessation under way, a transfer in, how the plan ended.
  ehcPlans.registerPanel({
    template: 'ehc-plan-changes/views/_plan-panel.njk',
    load: (_db, planId) => ehcPlanChanges.panel(planId),
  });
  // The reviews panel on the plan page: the open review and the last decided one (none before the plan is final).
  ehcPlans.registerPanel({
    template: 'ehc-reviews/views/_plan-panel.njk',
    load: async (db, planId) => {
      const p = await ehcReviews.reviewPanel(db, planId);
      return p.count ? p : null;
    },
  });
  return {
    people,
    notes: new NotesService(db, now),
    documents: new DocumentsService(db, config.documents, now),
    caseload: new CaseloadService(db, config.baseUrl, protocols, transitions),
    bundle: new BundleService(db, now),
    home,
    notifications,
    organisations: new OrganisationService(db, now, config),
    tokens: new TokenService(db, now),
    protocols,
    transfers,
    ehcPlanChanges,
    ehcp,
    ehcPlans,
    ehcReviews,
    transitions,
    retention: new RetentionService(db, config, now),
    subjectAccess: new SubjectAccessService(db, config.documents, now),
    sharing: new SharingService(db, now, reports),
    solutions: new SolutionsService(db, config, now, protocols),
    consultations: new ConsultationsService(db, config, now, protocols),
    risk: new RiskService(db, now),
    post18: new Post18Service(db, config, now, protocols),
    safeguarding,
    exploitationMeetings: new ExploitationMeetingsService(db, config, now, protocols, safeguarding.ctx),
    contextual: new ContextualService(db, now),
    cohort: new CohortService(db, now),
    radar: new RadarService(db, reports, now),
    subscriptions: new SubscriptionsService(db, now),
    dashboards: new DashboardsService(db, reports, now),
    mentoring: new MentoringService(db, config, now, protocols),
    sendHubs: new SendHubsService(db, config, now, protocols, reports),
    sen2: new Sen2Service(db, now, reports),
    scim,
    scimAdmin: new ProvisioningAdmin(db, now),
    sso: new SsoService(db, config, now),
    twoFactor: new TwoFactorService(db, config, now),
    partners: new PartnersService(db, config, now),
    health: () => pingDatabase(db),
    reports,
  };
}
