"""Handing a patient over to the clinic: the consented referral's summary, its FHIR form, the
durable outbox in the conversation database and its delivery to staff. No Rasa here: the action
server writes referrals, its delivery worker sends them, the staff API reads them."""
