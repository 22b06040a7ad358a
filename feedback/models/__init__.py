"""The voices of children, families, adopters, staff and partners (seeds 000, 001, 002
2.7 and 2.9, 003): one module per kind of record, each imported here so Django finds it.

- `voices`: feedback in people's own words, the organisation's themes, "you said, we did"
- `questionnaires`: questionnaires raised by journey events, answered through one-use links
- `complaints`: the statutory complaints procedure (stages 1 to 3), and compliments
- `evaluations`: adoption panel evaluations, each member's and the chair's collated copy
- `disputes`: challenges by independent chairs (the dispute resolution process)
- `staff_voice`: imported staff survey and health check results
"""

from feedback.models import complaints  # noqa: F401
from feedback.models.disputes import *  # noqa: F403
from feedback.models.evaluations import PanelEvaluation, PanelItem, PanelMeeting, Question, Rating  # noqa: F401
from feedback.models.questionnaires import (  # noqa: F401
    QUESTIONS,
    SCORE_CHOICES,
    Questionnaire,
    QuestionnaireAnswer,
    QuestionnaireKind,
)
from feedback.models.staff_voice import *  # noqa: F403
from feedback.models.voices import (  # noqa: F401
    RATING_CHOICES,
    SENTIMENT_COLOURS,
    Channel,
    Feedback,
    FeedbackTheme,
    Sentiment,
    Source,
    YouSaidWeDid,
    sentiment_of,
)
