/** Every interface text the cards use; content/{language}/ui.json must define exactly these. */
export const UI_KEYS = [
  'defaultOrg', 'defaultContact', 'welcomeTitle', 'welcomeLength', 'welcomeEveryone', 'welcomeBackTitle',
  'welcomeBackIntro', 'welcomeBackDone', 'start',
  'defaultMonitoring', 'later', 'ask', 'laterReply', 'laterReplyNew', 'lessonOf', 'remember', 'toQuestion',
  'toQuestions', 'questionOf',
  'situation', 'yourAnswer', 'check', 'chooseFirst', 'right', 'notQuite', 'youChose', 'rightAnswer',
  'next', 'ackTitle', 'ackIntro', 'ackStatement', 'ackRequired', 'acknowledge', 'fullPolicy', 'completeTitle',
  'completeThanks', 'completeDate', 'completeScore', 'completeVersion', 'scoreValue', 'progressTitle',
  'progressLessons', 'progressScore', 'progressNext', 'progressNotStarted', 'progressAcknowledge',
  'progressDone', 'progressReview', 'progressToReview', 'reviewLeft', 'reviewIntro', 'reviewsLeft', 'lessonsValue',
  'answeredValue', 'answeredAllValue', 'continue', 'progress', 'helpTitle', 'helpIntro',
  'helpStart', 'helpContinue', 'helpProgress', 'helpLanguage', 'helpHelp', 'helpContact',
  'notUnderstood', 'languageSet', 'languageUsage', 'tooLong', 'staleCard', 'notReached',
  'outdatedVersion', 'notFinished', 'error', 'sentBelow', 'askTitle', 'askIntro',
  'askQuestion', 'askCategory', 'catPolicy', 'catPostCheck', 'catOther', 'askAnonymous', 'askHideName', 'send',
  'askSent', 'askSaved', 'askInvalid', 'reportTitle', 'reportIntro', 'reportWhat', 'reportLink',
  'reportUrgency', 'reportNamed', 'urgNormal', 'urgUrgent', 'reportSent', 'reportSaved', 'reportInvalidLink',
  'reportInvalid',
  'ticketQuestion', 'ticketReport', 'ticketUrgent', 'ticketFrom', 'anEmployee', 'ticketCategory',
  'ticketLink', 'ticketAsked', 'ticketStatus', 'statusOpen', 'statusClaimed', 'statusResolved',
  'statusAnswered', 'ticketInFaq', 'answerTitleReport', 'resolvedNoticeReport', 'reopenedReport', 'threadReopenedReport',
  'contactWaiting', 'onlyPersonal', 'hrNoChannel',
  'claim', 'resolve', 'addToFaq', 'ticketHowTo', 'answerTitle', 'yourReply', 'reply', 'replySent',
  'replyInvalid', 'employeeReply', 'resolvedNotice', 'reopen', 'reopened', 'threadReopened',
  'reminder', 'contactSet', 'contactRefused', 'faqTitle', 'faqEmpty', 'faqEditTitle', 'faqEditIntro',
  'faqQuestion', 'faqAnswer', 'faqLanguage', 'publish', 'faqNotAnswered', 'notHere',
  'ticketUnknown', 'channelHelp', 'helpAsk', 'helpReport', 'helpFaq',
  'hrOnly', 'hrHelp', 'campaignTitle', 'campaignIntro', 'campaignNoteLabel', 'reminderTitle',
  'overdueTitle', 'reminderIntro', 'inventoryTitle', 'inventoryIntro', 'inventoryLabel', 'platBlog',
  'platOther', 'platNone', 'inventorySend', 'inventoryThanks', 'inventoryDone', 'inventoryEmpty', 'inventoryNotYet',
  'coverageTitle', 'coverageSummary', 'coverageEmpty', 'statusNotStarted', 'statusInProgress', 'statusReacknowledge', 'statusReacknowledgeChanged', 'statusCompleted',
  'statusOverdue', 'statusUnreachable', 'whatChangedTitle', 'whatChangedIntro', 'whatChangedNext', 'byDepartment', 'byRole', 'coverageRow', 'chartOverall',
  'chartDepartments', 'understandingTitle', 'understandingIntro', 'understandingEveryone', 'understandingDepartment',
  'understandingTooFew', 'understandingChart', 'understandingRow', 'understandingWithheld', 'understandingDepartmentLabel',
  'understandingAll', 'understandingShow', 'understandingUnknownDepartment', 'itemsOpen', 'itemsTitle', 'itemsIntro',
  'itemsLine', 'itemsNotMeasurable', 'itemsTooFew', 'itemsRightChoice', 'itemsEasy', 'itemsNoDiscrimination',
  'itemsUnusedDistractor', 'inventoryResults', 'inventoryResultsFew', 'inventoryTooFew', 'notStartedList', 'exportCsv',
  'sendReminders',
  'notStartedTitle', 'notStartedMore', 'nobodyNotStarted', 'exportReady', 'auditReady', 'download',
  'remindSent', 'remindSkipped', 'remindNobody', 'remindOutsideHours', 'openingToday', 'openingTomorrow', 'openingOn',
  'campaignFormTitle', 'campaignFormIntro',
  'audienceLabel', 'audEveryone', 'audDepartments', 'audNotFinished', 'audReacknowledge', 'departmentsLabel', 'dueLabel',
  'noteLabel', 'includeCompletedLabel', 'includeCompletedTitle', 'preview', 'previewTitle', 'previewRecipients',
  'previewAudience', 'previewLeftOut', 'previewIncluded', 'previewNote',
  'previewWho', 'previewNoDepartment', 'previewMoreNames', 'previewExport',
  'sendCampaign', 'change', 'campaignInvalidAudience', 'campaignInvalidDepartments', 'campaignUnknownDepartments', 'campaignInvalidDue',
  'campaignInvalidNote', 'campaignRosterEmpty', 'campaignNobody', 'campaignAllCompleted',
  'campaignStatusTitle', 'campaignSendingLive', 'campaignSending', 'campaignSent', 'campaignWaiting',
  'campaignRetrying', 'campaignUnconfirmed', 'campaignUnreachableList', 'campaignUnreachableMore', 'refresh', 'campaignUnknown',
  'reachOffRoster', 'reachNoId', 'reachNoTenant', 'reachBlocked', 'reachAppDisabled', 'reachNotInstalled',
  'reachRefused', 'reachInstallFailed', 'reachGaveUp', 'reachRejected',
  'rosterTitle', 'rosterActive', 'rosterInactive', 'rosterDepartments', 'rosterUpdated', 'rosterNever',
  'rosterHowTo', 'rosterFromGraph', 'syncNow', 'rosterPreviewTitle', 'rosterAdded', 'rosterChanged',
  'rosterBack', 'rosterDeactivated', 'rosterUnchanged', 'rosterProblems', 'rosterProblemLine', 'rosterProblemsMore',
  'rosterIssueTooLarge', 'rosterIssueUtf16', 'rosterIssueNotUtf8', 'rosterIssueEmpty', 'rosterIssueQuoteUnclosed',
  'rosterIssueQuoteBad', 'rosterIssueHeaderTwice', 'rosterIssueNoHeader', 'rosterIssueColumnsMissing', 'rosterIssueNoRows',
  'rosterIssueFieldCount', 'rosterIssueTooLong', 'rosterIssueNameMissing', 'rosterIssueEmailMissing', 'rosterIssueEmailInvalid',
  'rosterIssueEmailTwice', 'rosterIssueIdInvalid', 'rosterIssueIdTwice', 'rosterFoundNothing', 'rosterFieldName',
  'rosterFieldEmail', 'rosterFieldDepartment', 'rosterFieldRole', 'rosterFieldObjectId', 'rosterFieldEmployeeNumber',
  'rosterImport', 'rosterImportValid', 'rosterImported', 'rosterNothingValid', 'rosterFileProblem', 'rosterTooLarge', 'rosterNotCsv',
  'rosterDownloadFailed', 'rosterFileRefused', 'rosterUploadUsed', 'rosterUploadUnknown', 'rosterSynced', 'rosterSyncFailed', 'rosterSyncOff',
  'filesNotHere', 'downloadExpired', 'downloadMissing', 'downloadInvalid', 'downloadHrOnly', 'downloadUsed',
  'refresherTitle', 'refresherIntro', 'refresherStopHint', 'refresherNotCompleted', 'refresherStopped', 'refresherStale', 'helpRefresher',
  'retentionTitle', 'retentionOverall', 'retentionTooFew', 'retentionLesson', 'retentionWithheld',
] as const;

export type UiKey = (typeof UI_KEYS)[number];
export type Ui = Readonly<Record<UiKey, string>>;

/** Placeholders the organisation's monitoring statement may use. */
export const MONITORING_PLACEHOLDERS = ['org', 'contactName', 'privacyContact'] as const;

/** Placeholders filled from configuration when content is loaded. */
export const ORG_PLACEHOLDERS = [...MONITORING_PLACEHOLDERS, 'contactEmail', 'policyUrl', 'monitoring'] as const;

/** Placeholders course.json may use besides those: {lessons} is the number of lesson files. */
export const COURSE_PLACEHOLDERS = [...ORG_PLACEHOLDERS, 'lessons'] as const;

/** Placeholders the cards fill in when they are rendered. */
export const RENDER_PLACEHOLDERS = [
  'course', 'lessons', 'minutes', 'n', 'total', 'lesson', 'answer', 'version', 'correct', 'answered', 'done', 'max',
  'number', 'name', 'hours', 'due', 'count', 'percent', 'active', 'completed', 'inProgress', 'reacknowledge', 'notStarted', 'overdue', 'unreachable',
  'names', 'people', 'line', 'reason', 'added', 'updated', 'reactivated', 'deactivated', 'time',
  'size', 'first', 'second', 'found', 'columns', 'field', 'discrimination', 'left', 'when', 'date',
] as const;

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** The {names} a text uses. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

/** What ends a sentence (., !, ?, a closing quote) or a paragraph, then any opening quote or bold marker. */
const SENTENCE_START = /(?:^|[.!?…]['"’”)]?\s+|\n\s*)['"‘“(*]*$/;
/** Addresses keep their spelling even where a sentence starts. */
const ADDRESS = /@|:\/\//;

/**
 * Fills {name} placeholders; names without a value stay as they are. A value that starts a
 * sentence starts with a capital ("our organisation asks" becomes "Our organisation asks");
 * e-mail addresses and links are left as they are.
 */
export function fill(text: string, values: Readonly<Record<string, string | number>>): string {
  return text.replace(PLACEHOLDER, (whole, name: string, offset: number) => {
    const value = values[name];
    if (value === undefined) return whole;
    const filled = String(value);
    if (ADDRESS.test(filled) || !SENTENCE_START.test(text.slice(0, offset))) return filled;
    return filled.charAt(0).toLocaleUpperCase() + filled.slice(1);
  });
}
