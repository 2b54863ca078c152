-- One row per contact reason code seen, with its volume by channel.
select
    contact_reason,
    count(*) as contacts,
    count(*) filter (where channel = 'voice') as voice_contacts,
    count(*) filter (where channel = 'chat') as chat_contacts,
    count(*) filter (where channel = 'email') as email_contacts
from {{ ref('int_contacts_enriched') }}
group by contact_reason
