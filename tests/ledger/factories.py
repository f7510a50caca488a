import factory

from apps.ledger.models import Account, AccountType, Ledger


class LedgerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ledger

    code = factory.Sequence(lambda n: f"fund-{n}")
    name_ko = factory.Sequence(lambda n: f"기금 {n}")
    name_en = factory.Sequence(lambda n: f"Fund {n}")


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    ledger = factory.SubFactory(LedgerFactory)
    code = factory.Sequence(lambda n: f"{1000 + n}")
    name_ko = factory.Sequence(lambda n: f"계정 {n}")
    name_en = factory.Sequence(lambda n: f"Account {n}")
    type = AccountType.ASSET
